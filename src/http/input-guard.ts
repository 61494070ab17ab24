// What no request may carry, in any dialect: text with a NUL character, and
// JSON nested deeper than MAX_JSON_DEPTH (the rule and its reasons are core's,
// core/text.ts). Each dialect plugin installs the hook (guardInput) and maps
// the core `invalid_argument` into its own envelope; the parsers that read
// JSON out of a string field (lenient-json.ts) check what they parse too.

import type { FastifyInstance } from 'fastify';
import { checkStructuredValue } from '../core/text.ts';

export { MAX_JSON_DEPTH } from '../core/text.ts';

/**
 * Checks every request's path parameters, query and parsed body before
 * validation, inside the plugin that calls it (so errors take its envelope).
 */
export function guardInput(app: FastifyInstance): void {
  app.addHook('preValidation', (req, _reply, done) => {
    try {
      checkStructuredValue(req.params, 'the path');
      checkStructuredValue(req.query, 'the query');
      checkStructuredValue(req.body, 'the body');
      done();
    } catch (e) {
      done(e as Error);
    }
  });
}
