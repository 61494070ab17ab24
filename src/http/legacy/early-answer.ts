// The legacy envelope for what Node refuses before routing (../early-answers.ts).
// No session headers are echoed: Node could not read them.

import type { EarlyAnswer } from '../early-answers.ts';
import { failure } from './envelope.ts';
import { legacyReason } from './errors.ts';

export const legacyEarlyAnswer: EarlyAnswer = {
  dialect: 'legacy',
  prefixes: ['/chat/'],
  body: (e) => failure(legacyReason(e, undefined), e.code),
};
