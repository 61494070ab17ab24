// Authentication for the message routes, with a short-lived cache: sending is
// the hottest path, and resolving a token costs a store read per request. A
// cached principal is kept at most CACHE_MS and never past its token's
// expiry, and is dropped at once when this process revokes the token
// (token.revoked); the composition root relays other processes' revocations
// through `forgetRevokedToken` (src/bus/cache-sync.ts).

import type { FastifyRequest } from 'fastify';
import type { Core } from '../../core/core.ts';
import type { Principal } from '../../core/model.ts';
import { authenticate, bearer, requireUser } from './auth.ts';

const CACHE_MS = 5_000;
const MAX_ENTRIES = 50_000;

interface Entry {
  principal: Principal;
  until: number;
}

const caches = new WeakMap<Core, Map<string, Entry>>();

function cacheOf(core: Core): Map<string, Entry> {
  let cache = caches.get(core);
  if (!cache) {
    const fresh = new Map<string, Entry>();
    core.events.on((e) => {
      if (e.type !== 'token.revoked') return;
      for (const [k, v] of fresh) if (v.principal.tokenId === e.tokenId) fresh.delete(k);
    });
    caches.set(core, fresh);
    cache = fresh;
  }
  return cache;
}

/**
 * Another process revoked a token: its cached principal goes at once.
 * Without a token id (the bus may have lost notifications) everything goes.
 */
export function forgetRevokedToken(core: Core, tokenId?: number): void {
  const cache = cacheOf(core);
  if (tokenId === undefined) return cache.clear();
  for (const [k, v] of cache) if (v.principal.tokenId === tokenId) cache.delete(k);
}

export async function principalOf(core: Core, req: FastifyRequest): Promise<Principal> {
  const token = bearer(req);
  const cache = cacheOf(core);
  const now = core.clock.now();
  if (token) {
    const hit = cache.get(token);
    if (hit && hit.until > now) {
      req.principal = hit.principal;
      return hit.principal;
    }
  }
  const p = await authenticate(core, req);
  if (token) {
    const record = await core.store.tokens.get(p.tokenId);
    const until = Math.min(now + CACHE_MS, record?.expiresAt ?? Number.MAX_SAFE_INTEGER);
    if (cache.size >= MAX_ENTRIES) cache.clear();
    cache.set(token, { principal: p, until });
  }
  return p;
}

/** The calling user (message routes act as a user; an app-admin token is refused). */
export async function callerOf(core: Core, req: FastifyRequest): Promise<{ appId: number; userId: number }> {
  const p = await principalOf(core, req);
  return { appId: p.appId, userId: requireUser(p) };
}
