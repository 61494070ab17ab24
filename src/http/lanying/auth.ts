// Lanying's auth (the original's source): header `app_id` on every call, `access-token`
// on every call but login/register. An app-admin token may add header
// `user_id` (act as that user) or `group_id` (act as that group's
// administrator: the app admin's own powers, which core grants on every group).

import type { FastifyRequest } from 'fastify';
import type { Core } from '../../core/core.ts';
import { isParleyError } from '../../core/errors.ts';
import { parseId } from '../../core/ids.ts';
import type { Principal } from '../../core/model.ts';
import type { Actor } from '../../core/groups/model.ts';
import { actAsUser, actorOf as principalActor } from '../../core/auth/principals.ts';
import { LanyingCode, LanyingReject } from './errors.ts';

export interface LanyingCaller {
  appId: number;
  /** Who acts: a user, or the app admin (userId null, isAdmin true). */
  actor: Principal;
  /** Header `group_id` of an admin token: the group it acts as administrator of. */
  actingGroupId?: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    lanying?: LanyingCaller;
  }
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s.trim() === '' ? undefined : s.trim();
}

/** The app named by header `app_id`: 40000 when missing or unknown. */
export async function requireAppId(core: Core, req: FastifyRequest): Promise<number> {
  const raw = header(req, 'app_id');
  const id = parseId(raw);
  if (id === undefined) throw new LanyingReject(LanyingCode.appNotFound, raw === undefined ? 'header app_id is missing' : 'app_id does not exist');
  try {
    await core.apps.get(id);
  } catch (e) {
    if (isParleyError(e) && e.code === 'app_not_found') throw new LanyingReject(LanyingCode.appNotFound, 'app_id does not exist');
    throw e;
  }
  return id;
}

export async function authenticate(core: Core, req: FastifyRequest): Promise<LanyingCaller> {
  const appId = await requireAppId(core, req);
  const token = header(req, 'access-token');
  if (token === undefined) throw new LanyingReject(LanyingCode.tokenMissing, 'header access-token is missing');
  const principal = await core.tokens.authenticate(token);
  if (principal.appId !== appId) throw new LanyingReject(LanyingCode.tokenInvalid, 'access-token is not valid for this app_id');
  if (!principal.isAdmin) return { appId, actor: principal };

  const userHeader = header(req, 'user_id');
  const groupHeader = header(req, 'group_id');
  let actingGroupId: number | undefined;
  if (groupHeader !== undefined) {
    actingGroupId = parseId(groupHeader);
    if (actingGroupId === undefined) throw new LanyingReject(LanyingCode.badRequest, 'header group_id must be a group id');
  }
  if (userHeader !== undefined) {
    const userId = parseId(userHeader);
    if (userId === undefined) throw new LanyingReject(LanyingCode.badRequest, 'header user_id must be a user id');
    const actor = await actAsUser(principal, userId, (a, u) => core.users.get(a, u));
    return { appId, actor, ...(actingGroupId ? { actingGroupId } : {}) };
  }
  return { appId, actor: principal, ...(actingGroupId ? { actingGroupId } : {}) };
}

/** The caller as core's groups see it: a user, or the app admin with every group right. */
export function actorOf(c: LanyingCaller): Actor {
  return principalActor(c.actor);
}

/** The calling user; an admin token must name one with header `user_id`. */
export function callerUserId(c: LanyingCaller): number {
  if (c.actor.userId === null) throw new LanyingReject(LanyingCode.noPermission, 'this route acts as a user: send header user_id with an admin token');
  return c.actor.userId;
}
