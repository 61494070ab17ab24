// The one place an unexpected (non-domain) failure of an HTTP request is made
// visible: every dialect's error handler calls it before answering in its own
// envelope. Several dialects answer such failures with HTTP 200 (dtalk's
// `result: -1000`), so the status alone cannot tell an operator — or a test —
// that something broke; parley_internal_errors_total{dialect} can.

import type { FastifyRequest } from 'fastify';
import type { Metrics } from './ops.ts';

export type DialectName = 'native' | 'lanying' | 'xim' | 'legacy' | 'dtalk' | 'server';

declare module 'fastify' {
  interface FastifyInstance {
    /** The registry /metrics serves (decorated on the root, seen by every dialect plugin). */
    parleyMetrics?: Metrics;
  }
}

/** Counts the failure and logs it at error level with the request id. */
export function reportInternalError(req: FastifyRequest, dialect: DialectName, err: unknown): void {
  req.server.parleyMetrics?.internalErrors.inc({ dialect });
  req.log.error({ err, reqId: req.id, dialect, method: req.method, url: req.url }, `${dialect}: internal error`);
}
