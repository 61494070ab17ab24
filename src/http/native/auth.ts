import type { FastifyRequest } from 'fastify';
import type { Core } from '../../core/core.ts';
import { requireUser as userOf } from '../../core/auth/principals.ts';
import type { Principal } from '../../core/model.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

/** The bearer token of a native request: `Authorization: Bearer <token>`. */
export function bearer(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m ? m[1] : undefined;
}

export async function authenticate(core: Core, req: FastifyRequest): Promise<Principal> {
  const p = await core.tokens.authenticate(bearer(req));
  req.principal = p;
  return p;
}

/** The user a request acts as: a user token's user (admin tokens may not act as a user here). */
export function requireUser(p: Principal): number {
  return userOf(p).userId;
}
