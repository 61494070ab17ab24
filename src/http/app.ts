// The HTTP server: shared plumbing (request ids, logging, body limits, CORS,
// OpenAPI) and one encapsulated plugin per dialect.

import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import cors from '@fastify/cors';
import websocket from '@fastify/websocket';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { logSerializers } from '../logger.ts';
import type { Core } from '../core/core.ts';
import { ErrorBody, User } from './native/schemas.ts';
import { nativePlugin, type NativeRoutes } from './native/plugin.ts';
import { createMetrics, opsRoutes, type Metrics } from './ops.ts';
import { Message } from './native/message-schemas.ts';
import { authRoutes } from './native/routes/auth.ts';
import { webClient } from './web.ts';
import { clientErrorHandler, routeNotFound, type EarlyAnswer } from './early-answers.ts';
import { trackRequestLines } from './request-line.ts';
import { decoratePublicUrl } from './public-url.ts';
import { toParleyError } from './framework-errors.ts';
import { reportInternalError } from './internal-errors.ts';
import { answerRouterError } from './router-errors.ts';
import { registerDocuments } from './openapi/documents.ts';
import { lazySerializerFactory } from './lazy-schemas.ts';

export interface HttpOptions {
  config: Config;
  core: Core;
  logger: Logger;
  /** The registry /metrics serves; made here when the caller has none. */
  metrics?: Metrics;
  /** More native route groups (from later domains). */
  nativeRoutes?: readonly NativeRoutes[];
  /** Other dialect plugins, mounted after the native API. */
  plugins?: readonly ((app: FastifyInstance) => Promise<void>)[];
  /** The dialects' envelopes for requests Node refuses before routing. */
  earlyAnswers?: readonly EarlyAnswer[];
  /** True once the server has begun to stop: /readyz fails (ops.ts). */
  draining?: () => boolean;
}

export async function buildHttp(opts: HttpOptions): Promise<FastifyInstance> {
  const { config, core } = opts;
  const app = Fastify({
    // Redacting serializers whatever logger was given (src/logger.ts).
    loggerInstance: opts.logger.child({}, { serializers: logSerializers }) as FastifyBaseLogger,
    bodyLimit: config.bodyLimit,
    // Node's default (16 KiB) refuses an ordinary xim InfoBatch of 5,000 ids; the Go originals accept 1 MiB.
    http: { maxHeaderSize: config.maxHeaderBytes },
    clientErrorHandler: clientErrorHandler(opts.earlyAnswers ?? [], config.maxHeaderBytes, opts.logger as FastifyBaseLogger),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
    // req.ip (sign-in limits, logs) and req.protocol believe X-Forwarded-*
    // only from the proxies named in PARLEY_TRUSTED_PROXIES.
    trustProxy: config.trustedProxies === '' ? false : config.trustedProxies.split(','),
    return503OnClosing: true,
    frameworkErrors: answerRouterError,
    forceCloseConnections: 'idle',
    // Response serializers compiled on a route's first answer (lazy-schemas.ts).
    schemaController: { compilersFactory: { buildSerializer: lazySerializerFactory } },
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, useDefaults: true, allErrors: false } },
  });
  trackRequestLines(app.server);
  decoratePublicUrl(app, config.publicUrl, { host: config.host, port: config.port });
  // Callback-style hooks: they run on every request, and an async hook costs a promise each time.
  app.addHook('onSend', (req, reply, payload, done) => {
    reply.header('x-request-id', req.id);
    done(null, payload);
  });

  if (config.corsOrigins.trim() !== '') {
    const list = config.corsOrigins.split(',').map((s) => s.trim()).filter(Boolean);
    await app.register(cors, { origin: list.includes('*') ? '*' : list, methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] });
  }

  // /openapi.json (native) and /openapi/<dialect>.json, selectable in /docs.
  await registerDocuments(app, { ui: config.docs });
  app.addSchema(ErrorBody);
  app.addSchema(User);
  app.addSchema(Message);

  // One WebSocket server for every dialect that serves a socket (routes declare `websocket: true`).
  await app.register(websocket, { options: { maxPayload: config.wsMaxFrameBytes, perMessageDeflate: false } });

  const metrics = opts.metrics ?? createMetrics();
  app.decorate('parleyMetrics', metrics);
  opsRoutes(app, core, metrics, opts.earlyAnswers ?? [], opts.draining);
  // What escapes every dialect's own handler (root routes, a handler that throws).
  app.setErrorHandler((err, req, reply) => {
    if (toParleyError(err)) return reply.send(err);
    reportInternalError(req, 'server', err);
    return reply.code(500).send({ error: { code: 'internal', message: 'internal error' } });
  });

  await app.register(nativePlugin(core, [authRoutes(config), ...(opts.nativeRoutes ?? [])]), { prefix: '/v1' });
  for (const plugin of opts.plugins ?? []) await app.register(plugin);
  // A miss is answered in the envelope of the dialect whose path it is (the web client serves its pages first).
  const notFound = routeNotFound(opts.earlyAnswers ?? []);
  if (config.web) await app.register(webClient, { notFound });
  else app.setNotFoundHandler(notFound);
  return app;
}
