// Medlinker's med.xim.Group (xim-group-api.md) as one encapsulated Fastify
// plugin mounted at /med.xim.Group: GET with query binding, the
// `{code, errcode, message, errmsg, data}` envelope and its error codes, and
// the app admin credential required on every call.

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
import { authenticateAdmin } from './auth.ts';
import { failure } from './envelope.ts';
import { XimCode, ximCode, ximCodeText } from './errors.ts';
import { ximRoutes } from './routes.ts';
import { markDialect } from '../openapi/dialect-mark.ts';

export type XimApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider> & {
  core: Core;
};

export type XimRoutes = (app: XimApp) => void;

export const XIM_PREFIX = '/med.xim.Group';

/** The admin principal the auth hook resolved. */
export function admin(req: FastifyRequest): Principal {
  if (!req.xim) throw fail('unauthenticated', 'a token is required');
  return req.xim;
}

export function ximPlugin(core: Core, extra: readonly XimRoutes[] = []) {
  return async function xim(instance: FastifyInstance): Promise<void> {
    const app = instance.withTypeProvider<TypeBoxTypeProvider>() as XimApp;
    app.decorate('core', core);
    app.setValidatorCompiler(validatorCompiler());
    useLenientJson(app);
    guardInput(app);
    markDialect(app, 'xim');

    app.addHook('onRequest', async (req) => {
      req.xim = await authenticateAdmin(core, req);
    });

    app.setErrorHandler((err, req, reply) => {
      const pe = toParleyError(err);
      if (!pe) {
        reportInternalError(req, 'xim', err);
        return reply.code(500).send(failure(XimCode.internal, ximCodeText[XimCode.internal]));
      }
      const code = ximCode[pe.code];
      return reply.code(200).send(failure(code, pe.message || (ximCodeText[code] ?? 'error')));
    });
    app.setNotFoundHandler((req, reply) => reply.code(404).send(failure(-404, `no method ${req.method} ${req.url.split('?')[0]}`)));

    ximRoutes(app);
    for (const routes of extra) routes(app);
  };
}
