// The legacy headers (legacy-group-api.md): every request carries `uid`,
// `accessToken`, `client` and `expire` (ms epoch of the token's expiry), and
// every response echoes them. `accessToken` is a Parley user token whose user
// must be `uid`; an app-admin token may act as any `uid` of its app (server
// jobs). `expire` in the past means the client's session is over.

import type { FastifyRequest } from 'fastify';
import type { Core } from '../../core/core.ts';
import { fail } from '../../core/errors.ts';
import { parseId } from '../../core/ids.ts';
import type { Principal } from '../../core/model.ts';
import { actAsUser } from '../../core/auth/principals.ts';

declare module 'fastify' {
  interface FastifyRequest {
    legacy?: Principal & { userId: number };
  }
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s.trim() === '' ? undefined : s.trim();
}

export async function authenticate(core: Core, req: FastifyRequest): Promise<Principal & { userId: number }> {
  const uidText = header(req, 'uid');
  const token = header(req, 'accesstoken');
  const client = header(req, 'client');
  const expireText = header(req, 'expire');
  if (uidText === undefined || token === undefined) throw fail('unauthenticated', 'headers uid and accessToken are required');
  const uid = parseId(uidText);
  if (uid === undefined) throw fail('invalid_argument', 'header uid must be a user id');
  if (client === undefined || client.length > 128) throw fail('invalid_argument', 'header client must name the client (1 to 128 characters)');
  if (expireText === undefined || !/^[0-9]{1,16}$/.test(expireText)) throw fail('invalid_argument', 'header expire must be a time in milliseconds');
  const p = await core.tokens.authenticate(token);
  if (Number(expireText) <= core.clock.now()) throw fail('token_expired', 'the session has expired (header expire)');
  // A user token must be uid's own; an app-admin token acts as uid (core's one rule for acting as a user).
  return actAsUser(p, uid, (appId, userId) => core.users.get(appId, userId));
}
