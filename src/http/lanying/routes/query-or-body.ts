// The routes the document places in the query (destroy, leave, announcement
// delete) are also reached with DELETE and a JSON body by some clients; the
// query wins, the body is the fallback.

import type { FastifyRequest } from 'fastify';
import { fail } from '../../../core/errors.ts';
import { wireId } from '../../wire-ids.ts';

export function queryOrBody(req: FastifyRequest, field: string): number {
  const q = req.query as Record<string, unknown> | undefined;
  const b = req.body as Record<string, unknown> | undefined;
  const raw = q?.[field] ?? (b && typeof b === 'object' ? b[field] : undefined);
  if (raw === undefined) throw fail('invalid_argument', `${field} is required`, { field });
  const n = wireId(raw);
  if (n === undefined) throw fail('invalid_argument', `${field} must be an id`, { field });
  return n;
}
