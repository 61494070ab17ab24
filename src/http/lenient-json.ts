// A JSON body parser for the older dialects: an empty body is `{}` (the
// Lanying web SDK posts `{}` or nothing with its query-string routes), keys
// that could poison prototypes are dropped (secure-json-parse, Fastify's
// own), NUL and over-deep nesting are refused (core/text.ts), and malformed
// text is a core `invalid_argument`, which each dialect maps into its own
// envelope.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import secureJson from 'secure-json-parse';
import { fail } from '../core/errors.ts';
import { checkStructuredValue } from '../core/text.ts';

export function parseLenientJson(text: string): unknown {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = secureJson.parse(text, undefined, { protoAction: 'remove', constructorAction: 'remove' });
  } catch {
    throw fail('invalid_argument', 'the request body is not valid JSON');
  }
  checkStructuredValue(value, 'the body');
  return value;
}

/** Replaces the JSON parser inside one encapsulated dialect plugin. */
export function useLenientJson(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req: FastifyRequest, body: string | Buffer, done) => {
    try {
      done(null, parseLenientJson(body.toString()));
    } catch (e) {
      done(e as Error, undefined);
    }
  });
}
