// xim's envelope for what Node refuses before routing (../early-answers.ts).

import type { EarlyAnswer } from '../early-answers.ts';
import { failure } from './envelope.ts';
import { ximCode } from './errors.ts';

export const ximEarlyAnswer: EarlyAnswer = {
  dialect: 'xim',
  prefixes: ['/med.xim.Group/'],
  body: (e) => failure(ximCode[e.code], e.message),
};
