// Request validation for the dialects: query strings and path parameters are
// text on the wire, so they are coerced to the schema's types; JSON bodies are
// not (a number where a string belongs is an error, not a silent conversion).

import { Ajv, type Options } from 'ajv';
import addFormatsImport from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import { lazyValidators } from './lazy-schemas.ts';

const addFormats = addFormatsImport as unknown as (ajv: Ajv) => Ajv;

function makeAjv(opts: Options): Ajv {
  const ajv = new Ajv({ removeAdditional: false, useDefaults: true, allErrors: false, strict: false, ...opts });
  addFormats(ajv);
  return ajv;
}

export function validatorCompiler(): FastifySchemaCompiler<unknown> {
  const coercing = makeAjv({ coerceTypes: 'array' });
  const strict = makeAjv({ coerceTypes: false });
  // Compiled on the route's first request (lazy-schemas.ts).
  return lazyValidators(({ schema, httpPart }) => (httpPart === 'body' ? strict : coercing).compile(schema as object));
}
