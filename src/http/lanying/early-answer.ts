// Lanying's envelope for what Node refuses before routing (../early-answers.ts):
// every path the dialect serves (the document's /group/…, and the web SDK's
// token, register, avatar-upload and app-level QR routes).

import type { EarlyAnswer } from '../early-answers.ts';
import { failure } from './envelope.ts';
import { lanyingCode } from './errors.ts';

export const lanyingEarlyAnswer: EarlyAnswer = {
  dialect: 'lanying',
  prefixes: ['/group/', '/token/', '/user/register', '/file/upload/', '/app/qrcode/'],
  body: (e) => failure(lanyingCode[e.code], e.message),
};
