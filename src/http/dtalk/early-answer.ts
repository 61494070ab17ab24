// dtalk's envelope for what Node refuses before routing (../early-answers.ts):
// a request that could not be read is a parameter error (-1012, with the
// go-zero style child error text). `/group/app/` is dtalk's, the rest of
// `/group/` lanying's; `/app/qrcode/` is lanying's, the rest of `/app/` dtalk's
// (the longest prefix wins).

import type { EarlyAnswer } from '../early-answers.ts';
import { DtalkCode } from './errors.ts';

export const dtalkEarlyAnswer: EarlyAnswer = {
  prefixes: ['/app/', '/group/app/', '/record/', '/oss/', '/call/', '/ping', '/sub'],
  body: (e) => ({ result: DtalkCode.badParams.result, message: DtalkCode.badParams.message, data: `${DtalkCode.badParams.message} with child err: ${e.message}` }),
};
