// Operator endpoints: liveness, readiness (the database answers and the
// server is not draining) and Prometheus metrics. Outside every dialect; no auth (bind to a private
// interface or filter at the proxy in production).

import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Core } from '../core/core.ts';
import { answerFor, type EarlyAnswer } from './early-answers.ts';

export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status' | 'dialect'>;
  events: Counter<'type'>;
  /** Failures nobody could be told about (core/background.ts), by task. */
  backgroundFailures: Counter<'task'>;
  /** Unexpected failures of HTTP requests, by dialect — even those a dialect answers with 200 (http/internal-errors.ts). */
  internalErrors: Counter<'dialect'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'parley_' });
  return {
    registry,
    httpDuration: new Histogram({
      name: 'parley_http_request_duration_seconds',
      help: 'HTTP request duration by route, status and dialect',
      labelNames: ['method', 'route', 'status', 'dialect'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    events: new Counter({ name: 'parley_domain_events_total', help: 'Domain events emitted, by type', labelNames: ['type'], registers: [registry] }),
    backgroundFailures: new Counter({ name: 'parley_background_failures_total', help: 'Failures nobody could be told about (a call record, an event listener, a bus publish or connection, a WebSocket), by task', labelNames: ['task'], registers: [registry] }),
    internalErrors: new Counter({ name: 'parley_internal_errors_total', help: 'HTTP requests that failed unexpectedly (not a domain error), by dialect, whatever status the dialect answered', labelNames: ['dialect'], registers: [registry] }),
  };
}

// In the native document (the routes sit at the root, outside the native plugin that marks its own).
const native = { dialect: 'native' } as const;
const ops = { tags: ['operations'], security: [] };
const Status = (values: string[], description: string) => ({ type: 'object', properties: { status: { type: 'string', enum: values } }, required: ['status'], description });
const HEALTHZ = { ...ops, summary: 'Liveness: the process answers', response: { 200: Status(['ok'], 'The process is alive') } };
const READYZ = {
  ...ops,
  summary: 'Readiness: the database answers and the server is not draining',
  response: { 200: Status(['ready'], 'Ready to serve'), 503: Status(['not ready', 'draining'], 'The database does not answer (the reason is in the log), or the server is stopping (SIGTERM)') },
};
const METRICS = {
  ...ops,
  summary: 'Prometheus metrics (text exposition format)',
  produces: ['text/plain'],
  response: { 200: { type: 'string', description: 'The metrics in the Prometheus text format (Content-Type text/plain; version=0.0.4)' } },
};
const OPS_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * `draining` says the server has begun to stop (SIGTERM): /readyz then fails
 * at once, so whatever polls it (an orchestrator, a load balancer's checker)
 * stops sending new clients here while the ones already here are moved.
 */
export function opsRoutes(app: FastifyInstance, core: Core, metrics: Metrics, dialects: readonly EarlyAnswer[], draining: () => boolean = () => false): void {
  app.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url ?? 'unmatched';
    const path = req.url.split('?', 1)[0];
    // Requests the operator's own tools make are not any dialect's traffic.
    const dialect = OPS_PATHS.has(path) ? 'server' : answerFor(dialects, path).dialect;
    metrics.httpDuration.observe({ method: req.method, route, status: String(reply.statusCode), dialect }, reply.elapsedTime / 1000);
    done();
  });
  core.events.on((e) => metrics.events.inc({ type: e.type }));

  app.get('/healthz', { schema: HEALTHZ, config: native }, async () => ({ status: 'ok' }));
  // The reason stays in the log: the database's error text (host names,
  // user names, file paths) is nothing to show whoever can reach /readyz.
  app.get('/readyz', { schema: READYZ, config: native }, async (req, reply) => {
    if (draining()) {
      reply.code(503);
      return { status: 'draining' };
    }
    try {
      await core.store.ping();
      return { status: 'ready' };
    } catch (e) {
      req.log.error({ err: e, component: 'readiness' }, 'not ready: the database does not answer');
      reply.code(503);
      return { status: 'not ready' };
    }
  });
  app.get('/metrics', { schema: METRICS, config: native }, async (_req, reply) => {
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
