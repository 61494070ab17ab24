// Turns what Fastify itself rejects (schema validation, bad JSON, oversize
// bodies, wrong content types) into core error codes, so each dialect maps
// them through its own table like any other error.

import type { FastifyError } from 'fastify';
import { ParleyError, isParleyError } from '../core/errors.ts';

export function toParleyError(err: unknown): ParleyError | undefined {
  if (isParleyError(err)) return err;
  const e = err as FastifyError & { validation?: unknown[]; validationContext?: string };
  if (!e || typeof e !== 'object') return undefined;
  if (e.validation) {
    return new ParleyError('invalid_argument', e.message || 'the request is not valid', { validation: e.validation });
  }
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ParleyError('payload_too_large', 'the request body is too large');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ParleyError('invalid_argument', 'the request body is not valid JSON');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ParleyError('invalid_argument', e.message);
    default:
      break;
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return new ParleyError(e.statusCode === 413 ? 'payload_too_large' : 'invalid_argument', e.message);
  }
  return undefined;
}
