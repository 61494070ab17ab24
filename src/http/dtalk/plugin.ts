// The dtalk dialect (the dtalk app API document) as one encapsulated Fastify
// plugin: go-zero's body handling, the {result, message, data} envelope and
// error table, FZM-SIGNATURE auth, and the deployment front's /ping, CORS `*`
// and OPTIONS → 204. Mounted at the root, beside the other dialects.

import type { ReportBackgroundFailure } from '../../core/background.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { isParleyError } from '../../core/errors.ts';
import type { Core } from '../../core/core.ts';
import { toParleyError } from '../framework-errors.ts';
import { guardInput } from '../input-guard.ts';
import { reportInternalError } from '../internal-errors.ts';
import { DtalkAuth, type DtalkAuthOptions } from './auth.ts';
import { bind } from './bind.ts';
import { markDialect } from '../openapi/dialect-mark.ts';
import { DtalkCode, DtalkFailure, dtalkStatus, type DtalkStatus } from './errors.ts';
import { UnparsableBody, parseJson, stringifyJson } from './json.ts';
import type { DtalkContext, DtalkRoute, DtalkRoutes } from './route.ts';
import { DtalkGateway, type DtalkBus, type DtalkSocketSettings } from './socket/gateway.ts';
import { DtalkNames } from './names.ts';
import { OssLocation } from './oss-location.ts';

/** go-zero's default MaxBytes: larger bodies get a bare 413 before any handler. */
export const DEFAULT_BODY_LIMIT = 1_048_576;

export interface DtalkOptions extends DtalkAuthOptions {
  /** How object uris are shaped; the local store's `/<key>` when absent. */
  location?: OssLocation;
  routes: readonly DtalkRoutes[];
  /** Where committed events arrive for the socket (the bus every Parley process shares). */
  bus: DtalkBus;
  socket?: Partial<DtalkSocketSettings>;
  /** Where the socket's failures go (a log line and parley_background_failures_total in the server). */
  report?: ReportBackgroundFailure;
  /** Plain HTTP pages beside the API (the objects' public paths), with the dialect's CORS. */
  pages?: readonly ((app: FastifyInstance, ctx: DtalkContext) => void)[];
}

const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': '*',
  'access-control-allow-methods': '*',
} as const;

function send(reply: FastifyReply, status: DtalkStatus, data: unknown): FastifyReply {
  return reply.code(200).type('application/json; charset=utf-8').send(stringifyJson({ result: status.result, message: status.message, data }));
}

/** The envelope of a failure; never a 500. */
function sendError(req: FastifyRequest, reply: FastifyReply, err: unknown, route?: DtalkRoute): FastifyReply {
  if (err instanceof DtalkFailure) return send(reply, err.status, err.data);
  const e = err as { code?: string; statusCode?: number };
  if (e?.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || e?.statusCode === 413) {
    // go-zero's MaxBytesHandler: a bare 413, no envelope.
    return reply.code(413).send('');
  }
  const pe = toParleyError(err);
  if (!pe) {
    reportInternalError(req, 'dtalk', err);
    return send(reply, DtalkCode.unexpected, null);
  }
  const status = route?.errors?.[pe.code] ?? dtalkStatus[pe.code];
  if (status.result === DtalkCode.badParams.result) {
    const child = typeof pe.details?.dtalkChildErr === 'string' ? pe.details.dtalkChildErr : pe.message;
    return send(reply, status, `${DtalkCode.badParams.message} with child err: ${child}`);
  }
  if (isParleyError(err) && status === DtalkCode.unexpected) req.log.warn({ err }, 'dtalk: core error answered as -1000');
  return send(reply, status, null);
}

export function dtalkPlugin(core: Core, opts: DtalkOptions) {
  return async function dtalk(app: FastifyInstance): Promise<void> {
    const auth = new DtalkAuth(core, opts);
    const names = new DtalkNames(core);
    const gateway = new DtalkGateway(core, auth, names, opts.bus, opts.socket, opts.report);
    const ctx: DtalkContext = { core, auth, gateway, names, location: opts.location ?? new OssLocation(null) };

    // go-zero parses the body as JSON only when Content-Length > 0 and the
    // Content-Type contains application/json; anything else binds as {}.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: DEFAULT_BODY_LIMIT }, (req, body: Buffer, done) => {
      const type = String(req.headers['content-type'] ?? '');
      if (body.length === 0 || !type.toLowerCase().includes('application/json')) return done(null, {});
      try {
        done(null, parseJson(body.toString('utf8')));
      } catch (e) {
        done(null, new UnparsableBody((e as Error).message));
      }
    });

    app.setErrorHandler((err, req, reply) => sendError(req, reply, err));
    guardInput(app);
    markDialect(app, 'dtalk');

    // The deployment front: CORS * on every answer, OPTIONS → 204, /ping → 200.
    app.addHook('onSend', async (_req, reply, payload) => {
      reply.headers(CORS_HEADERS);
      return payload;
    });
    const cors = { cors: false } as const;
    for (const prefix of OPTIONS_PREFIXES) app.options(prefix, { config: cors }, async (_req, reply) => reply.code(204).send());
    app.get('/ping', { config: cors, schema: { summary: 'The front answers (an empty 200)', security: [], produces: ['text/plain'], response: { 200: { type: 'string', description: 'Empty' } } } }, async (_req, reply) => reply.code(200).type('text/plain').send(''));

    const register = (scope: FastifyInstance, route: DtalkRoute) => {
      for (const path of [route.path, ...(route.aliases ?? [])]) {
        scope.post(path, { config: { ...cors, dtalkRoute: route }, bodyLimit: route.bodyLimit ?? DEFAULT_BODY_LIMIT }, async (req, reply) => {
          try {
            const caller = await auth.authenticate(headerValue(req.headers['fzm-signature']));
            const body = route.request ? bind(route.request, req.body) : req.body;
            const data = await route.handler({ caller, body, raw: req });
            return send(reply, DtalkCode.ok, data ?? {});
          } catch (err) {
            return sendError(req, reply, err, route);
          }
        });
      }
    };
    const routes = opts.routes.flatMap((group) => group(ctx));
    for (const route of routes.filter((r) => r.body !== 'multipart')) register(app, route);
    // Multipart routes get their own scope with the multipart parser; the
    // handler reads the parts (and their size limits) itself.
    await app.register(async (scope) => {
      await scope.register(multipart, { limits: { fieldSize: DEFAULT_BODY_LIMIT, fields: 32, files: 4, parts: 40 } });
      for (const route of routes.filter((r) => r.body === 'multipart')) register(scope, route);
    });
    for (const page of opts.pages ?? []) page(app, ctx);
    await gateway.register(app);
  };
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The dtalk route a Fastify route serves (its request struct and form feed the OpenAPI document). */
    dtalkRoute?: DtalkRoute;
  }
}

/** Every OPTIONS on the dialect's paths is a 204, as at the original's nginx front. */
const OPTIONS_PREFIXES = ['/app/*', '/group/app/*', '/record/*', '/oss/*', '/call/*', '/ping'];

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
