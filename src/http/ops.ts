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

/**
 * `draining` says the server has begun to stop (SIGTERM): /readyz then fails
 * at once, so whatever polls it (an orchestrator, a load balancer's checker)
 * stops sending new clients here while the ones already here are moved.
 */
export function opsRoutes(app: FastifyInstance, core: Core, metrics: Metrics, dialects: readonly EarlyAnswer[], draining: () => boolean = () => false): void {
  const ops = new Set(['/healthz', '/readyz', '/metrics']);
  app.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url ?? 'unmatched';
    const path = req.url.split('?', 1)[0];
    // Requests the operator's own tools make are not any dialect's traffic.
    const dialect = ops.has(path) ? 'server' : answerFor(dialects, path).dialect;
    metrics.httpDuration.observe({ method: req.method, route, status: String(reply.statusCode), dialect }, reply.elapsedTime / 1000);
    done();
  });
  core.events.on((e) => metrics.events.inc({ type: e.type }));

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  // The reason stays in the log: the database's error text (host names,
  // user names, file paths) is nothing to show whoever can reach /readyz.
  app.get('/readyz', { schema: { hide: true } }, async (req, reply) => {
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
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
