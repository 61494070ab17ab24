// The Struts group API (legacy-group-api.md) as one encapsulated Fastify
// plugin mounted at /chat: POST `/chat/group!<action>` and
// `/chat/chat!loadChatRecords`, `data` as form fields or JSON, the four
// session headers checked and echoed, `{success, info, ...}` bodies.

import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyBaseLogger, FastifyRequest, RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Core } from '../../core/core.ts';
import { fail } from '../../core/errors.ts';
import type { Principal } from '../../core/model.ts';
import { toParleyError } from '../framework-errors.ts';
import { useLenientJson } from '../lenient-json.ts';
import { guardInput } from '../input-guard.ts';
import { validatorCompiler } from '../validation.ts';
import { reportInternalError } from '../internal-errors.ts';
import { authenticate } from './auth.ts';
import { normalizeData } from './body.ts';
import { echoSessionHeaders } from './echo.ts';
import { failure } from './envelope.ts';
import { legacyReason } from './errors.ts';
import { legacyRoutes } from './routes.ts';
import { markDialect } from '../openapi/dialect-mark.ts';

export type LegacyApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider> & {
  core: Core;
};

export type LegacyRoutes = (app: LegacyApp) => void;

export const LEGACY_PREFIX = '/chat';

/** The signed-in user the auth hook resolved. */
export function sessionUser(req: FastifyRequest): Principal & { userId: number } {
  if (!req.legacy) throw fail('unauthenticated', 'headers uid and accessToken are required');
  return req.legacy;
}

export function legacyPlugin(core: Core, extra: readonly LegacyRoutes[] = []) {
  return async function legacy(instance: FastifyInstance): Promise<void> {
    const app = instance.withTypeProvider<TypeBoxTypeProvider>() as LegacyApp;
    app.decorate('core', core);
    app.setValidatorCompiler(validatorCompiler());
    useLenientJson(app);
    guardInput(app);
    await app.register(formbody);
    markDialect(app, 'legacy');

    app.addHook('onRequest', async (req, reply) => {
      echoSessionHeaders(req, reply);
      req.legacy = await authenticate(core, req);
    });
    app.addHook('preValidation', async (req) => {
      req.body = normalizeData(req.query, req.body);
    });

    app.setErrorHandler((err, req, reply) => {
      const pe = toParleyError(err);
      if (!pe) {
        reportInternalError(req, 'legacy', err);
        return reply.code(500).send(failure('服务器内部错误', 'internal'));
      }
      return reply.code(200).send(failure(legacyReason(pe, req.legacy?.userId), pe.code));
    });
    app.setNotFoundHandler((req, reply) => reply.code(404).send(failure('接口不存在', 'not_found')));

    legacyRoutes(app);
    for (const routes of extra) routes(app);
  };
}
