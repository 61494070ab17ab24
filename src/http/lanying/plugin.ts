// Lanying IM's server REST API (lanying-group-api.md) as one encapsulated
// Fastify plugin: its routes at the document's paths, its envelope
// `{code, data, message}` with business errors as HTTP 200, its own
// validation-error format (code 10002) and its header auth.

import type { FastifyInstance, FastifyBaseLogger, FastifyRequest, RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Core } from '../../core/core.ts';
import { toParleyError } from '../framework-errors.ts';
import { useLenientJson } from '../lenient-json.ts';
import { guardInput } from '../input-guard.ts';
import { validatorCompiler } from '../validation.ts';
import { reportInternalError } from '../internal-errors.ts';
import { authenticate, type LanyingCaller } from './auth.ts';
import { failure } from './envelope.ts';
import { markDialect } from '../openapi/dialect-mark.ts';
import { LanyingCode, LanyingReject, lanyingCode } from './errors.ts';
import { accountRoutes } from './routes/accounts.ts';
import { contentRoutes } from './routes/content.ts';
import { avatarUploadRoutes } from './routes/avatar-upload.ts';
import { groupRoutes } from './routes/groups.ts';
import { joiningRoutes } from './routes/joining.ts';
import { memberRoutes } from './routes/members.ts';

export type LanyingApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider> & {
  core: Core;
};

/** Route groups that plug into the Lanying dialect (groups, files, QR codes…). */
export type LanyingRoutes = (app: LanyingApp) => void;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Lanying routes reachable without `access-token` (login, register). */
    lanyingPublic?: boolean;
  }
}

/** The caller resolved by the auth hook (present on every non-public route). */
export function caller(req: FastifyRequest): LanyingCaller {
  if (!req.lanying) throw new LanyingReject(LanyingCode.tokenMissing, 'header access-token is missing');
  return req.lanying;
}

export function lanyingPlugin(core: Core, extra: readonly LanyingRoutes[] = []) {
  return async function lanying(instance: FastifyInstance): Promise<void> {
    const app = instance.withTypeProvider<TypeBoxTypeProvider>() as LanyingApp;
    app.decorate('core', core);
    app.setValidatorCompiler(validatorCompiler());
    useLenientJson(app);
    guardInput(app);
    markDialect(app, 'lanying');

    app.addHook('onRequest', async (req) => {
      if (req.routeOptions.config.lanyingPublic) return;
      req.lanying = await authenticate(core, req);
    });

    // Business errors are HTTP 200 with `code` (the web SDK treats any other
    // status as a transport failure and switches servers after five).
    app.setErrorHandler((err, req, reply) => {
      if (err instanceof LanyingReject) return reply.code(200).send(failure(err.code, err.message));
      const pe = toParleyError(err);
      if (!pe) {
        reportInternalError(req, 'lanying', err);
        return reply.code(500).send(failure(LanyingCode.server, 'internal error'));
      }
      return reply.code(200).send(failure(lanyingCode[pe.code], pe.message));
    });

    accountRoutes(app);
    groupRoutes(app);
    memberRoutes(app);
    joiningRoutes(app);
    contentRoutes(app);
    avatarUploadRoutes(app);
    for (const routes of extra) routes(app);
  };
}
