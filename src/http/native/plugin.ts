// Parley's own API, as one encapsulated Fastify plugin: its routes, its error
// envelope `{error:{code,message,details}}` and its auth. Mounted at /v1.

import type { FastifyInstance, FastifyBaseLogger, RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Core } from '../../core/core.ts';
import { toParleyError } from '../framework-errors.ts';
import { validatorCompiler } from '../validation.ts';
import { guardInput } from '../input-guard.ts';
import { reportInternalError } from '../internal-errors.ts';
import { nativeStatus } from './errors.ts';
import { markDialect } from '../openapi/dialect-mark.ts';
import { tokenRoutes } from './routes/tokens.ts';
import { userRoutes } from './routes/users.ts';

export type NativeApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider> & {
  core: Core;
};

/** Extra route groups (groups, messages, files, calls) register through this list. */
export type NativeRoutes = (app: NativeApp) => void;

export function nativePlugin(core: Core, extra: readonly NativeRoutes[] = []) {
  return async function native(instance: FastifyInstance): Promise<void> {
    const app = instance.withTypeProvider<TypeBoxTypeProvider>() as NativeApp;
    app.decorate('core', core);
    app.setValidatorCompiler(validatorCompiler());
    guardInput(app);
    markDialect(app, 'native');

    app.setErrorHandler((err, req, reply) => {
      const pe = toParleyError(err);
      if (!pe) {
        reportInternalError(req, 'native', err);
        return reply.code(500).send({ error: { code: 'internal', message: 'internal error' } });
      }
      const body: { code: string; message: string; details?: Record<string, unknown> } = { code: pe.code, message: pe.message };
      if (pe.details) body.details = pe.details;
      // A refusal that knows when to come back says so (RFC 9110 Retry-After): slow mode, rate limits.
      if (typeof pe.details?.retryAfterSeconds === 'number') reply.header('retry-after', String(pe.details.retryAfterSeconds));
      return reply.code(nativeStatus[pe.code]).send({ error: body });
    });
    app.setNotFoundHandler((req, reply) => reply.code(404).send({ error: { code: 'not_found', message: `no route ${req.method} ${req.url}` } }));

    userRoutes(app);
    tokenRoutes(app);
    for (const routes of extra) routes(app);
  };
}
