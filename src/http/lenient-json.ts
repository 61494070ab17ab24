// A JSON body parser for the older dialects: an empty body is `{}` (the
// Lanying web SDK posts `{}` or nothing with its query-string routes), keys
// that could poison prototypes are dropped, and malformed text is a core
// `invalid_argument`, which each dialect maps into its own envelope.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { fail } from '../core/errors.ts';

const POISON = new Set(['__proto__', 'constructor', 'prototype']);

export function parseLenientJson(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text, (key, value: unknown) => (POISON.has(key) ? undefined : value));
  } catch {
    throw fail('invalid_argument', 'the request body is not valid JSON');
  }
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
