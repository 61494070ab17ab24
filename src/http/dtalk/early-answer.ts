// dtalk's envelope for what no route answers (../early-answers.ts): a path no
// route serves is a bad URL (-1013); what Node refuses before routing
// a request that could not be read is a parameter error (-1012, with the
// go-zero style child error text). `/group/app/` is dtalk's, the rest of
// `/group/` lanying's; `/app/qrcode/` is lanying's, the rest of `/app/` dtalk's
// (the longest prefix wins).

import type { EarlyAnswer } from '../early-answers.ts';
import { DtalkCode } from './errors.ts';

export const dtalkEarlyAnswer: EarlyAnswer = {
  dialect: 'dtalk',
  prefixes: ['/app/', '/group/app/', '/record/', '/oss/', '/call/', '/ping', '/sub'],
  // A path no route serves is -1013 请求URL非法.
  body: (e) =>
    e.code === 'not_found'
      ? { result: DtalkCode.badUrl.result, message: DtalkCode.badUrl.message, data: null }
      : { result: DtalkCode.badParams.result, message: DtalkCode.badParams.message, data: `${DtalkCode.badParams.message} with child err: ${e.message}` },
};
