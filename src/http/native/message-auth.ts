// The caller of the message routes: a user token's user. Core caches the
// principal behind a token (src/core/auth/token-cache.ts), so the hottest path
// costs no store read and still hears every revocation.

import type { FastifyRequest } from 'fastify';
import type { Core } from '../../core/core.ts';
import { authenticate, requireUser } from './auth.ts';

/** The calling user (message routes act as a user; an app-admin token is refused). */
export async function callerOf(core: Core, req: FastifyRequest): Promise<{ appId: number; userId: number }> {
  const p = await authenticate(core, req);
  return { appId: p.appId, userId: requireUser(p) };
}
