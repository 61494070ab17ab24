// The lanying, xim and legacy dialects, each an encapsulated plugin with its
// own routes, envelope, errors and auth, mounted beside the native API.

import type { FastifyInstance } from 'fastify';
import type { Core } from '../core/core.ts';
import type { EarlyAnswer } from './early-answers.ts';
import { lanyingEarlyAnswer } from './lanying/early-answer.ts';
import { lanyingPlugin } from './lanying/plugin.ts';
import { legacyEarlyAnswer } from './legacy/early-answer.ts';
import { legacyPlugin, LEGACY_PREFIX } from './legacy/plugin.ts';
import { ximEarlyAnswer } from './xim/early-answer.ts';
import { ximPlugin, XIM_PREFIX } from './xim/plugin.ts';

export function dialectPlugins(core: Core): ((app: FastifyInstance) => Promise<void>)[] {
  const lanying = lanyingPlugin(core);
  const xim = ximPlugin(core);
  const legacy = legacyPlugin(core);
  return [
    lanying,
    async (app) => {
      await app.register(xim, { prefix: XIM_PREFIX });
    },
    async (app) => {
      await app.register(legacy, { prefix: LEGACY_PREFIX });
    },
  ];
}

/** Their envelopes for requests Node refuses before any route runs. */
export const dialectEarlyAnswers: readonly EarlyAnswer[] = [lanyingEarlyAnswer, ximEarlyAnswer, legacyEarlyAnswer];
