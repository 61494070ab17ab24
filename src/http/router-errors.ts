// What Fastify's router refuses before any dialect runs: a path parameter
// that is not valid percent-encoding (FST_ERR_BAD_URL) or longer than the
// router allows (FST_ERR_MAX_PARAM_LENGTH). Fastify's own answer is a body
// no client of ours reads; only the native API has path parameters, so its
// error envelope answers.

import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { toParleyError } from './framework-errors.ts';
import { reportInternalError } from './internal-errors.ts';

export function answerRouterError(err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  // No route matched, so no hook runs: the request id header is set here.
  reply.header('x-request-id', req.id);
  const pe = toParleyError(err);
  if (!pe) {
    reportInternalError(req, 'server', err);
    void reply.code(500).send({ error: { code: 'internal', message: 'internal error' } });
    return;
  }
  void reply.code(err.statusCode ?? 400).send({ error: { code: pe.code, message: pe.message } });
}
