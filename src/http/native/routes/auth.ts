// Password accounts: sign up and sign in with a username and password, each
// answered with a user token (sign out is POST /v1/tokens/self/revoke).
// Unauthenticated by nature, so they act on one configured app.

import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import type { Config } from '../../../config.ts';
import { fail, isParleyError } from '../../../core/errors.ts';
import type { NativeApp } from '../plugin.ts';
import { User, errorsOf } from '../schemas.ts';

const Handle = Type.String({ minLength: 1, maxLength: 64, description: 'Username: letters, digits and _ . @ + -' });
const Password = Type.String({ minLength: 8, maxLength: 256 });
const SignUp = Type.Object(
  { handle: Handle, password: Password, displayName: Type.Optional(Type.String({ maxLength: 128 })) },
  { additionalProperties: false },
);
const LogIn = Type.Object({ handle: Handle, password: Type.String({ minLength: 1, maxLength: 256 }) }, { additionalProperties: false });
// The User shape inlined (a $ref from a response schema without its own $id does not resolve).
const { $id: _userId, ...UserShape } = User;
const Session = Type.Object({
  token: Type.String(),
  expiresAt: Type.Union([Type.Integer(), Type.Null()]),
  user: UserShape,
});

export function authRoutes(config: Config) {
  return (app: NativeApp): void => {
    const { core } = app;
    const { accounts } = core;
    const appId = async (): Promise<number> => {
      if (config.signupApp !== 0) return (await core.apps.get(config.signupApp)).id;
      const app = await core.apps.defaultApp();
      if (!app) throw fail('app_not_found', 'this server has no app yet');
      return app.id;
    };

    app.post('/auth/signup', { schema: { tags: ['auth'], summary: 'Create a password account and sign in', security: [], body: SignUp, response: { 201: Session, ...errorsOf('app_not_found', 'forbidden', 'handle_taken', 'rate_limited') } } }, async (req, reply) => {
      const session = await withRetryAfter(reply, accounts.signUp(await appId(), req.body, req.ip));
      reply.code(201);
      return session;
    });

    app.post('/auth/login', { schema: { tags: ['auth'], summary: 'Sign in with a username and password', security: [], body: LogIn, response: { 200: Session, ...errorsOf('app_not_found', 'invalid_credentials', 'rate_limited') } } }, async (req, reply) => {
      return withRetryAfter(reply, accounts.logIn(await appId(), { handle: req.body.handle }, req.body.password, req.ip));
    });
  };
}


/** A refused attempt tells the client when to come back (RFC 9110 Retry-After). */
async function withRetryAfter<T>(reply: FastifyReply, attempt: Promise<T>): Promise<T> {
  try {
    return await attempt;
  } catch (e) {
    if (isParleyError(e) && e.code === 'rate_limited') reply.header('retry-after', String(e.details?.retryAfterSeconds ?? 60));
    throw e;
  }
}
