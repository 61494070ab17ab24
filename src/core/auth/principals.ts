// One principal model for every dialect. A token makes a principal: a user,
// or the app admin. What an app admin may do outside groups is decided here,
// from one table, deny by default (groups have their own table in
// src/core/groups/permissions.ts). And an app admin acting as one of its
// users (lanying's `user_id` header, legacy's `uid`, xim's server jobs) is
// one function, so every dialect gets the same checks.

import { fail } from '../errors.ts';
import type { Actor } from '../groups/model.ts';
import type { Principal } from '../model.ts';

/** A principal that acts as a user. */
export interface UserPrincipal extends Principal {
  userId: number;
}

/** Who may do each operation that is not about a group. */
const ACCESS = {
  'users.create': 'admin',
  'users.list': 'admin',
  'users.update': 'admin',
  'tokens.issue': 'admin',
  'tokens.revoke': 'admin',
  'webhooks.manage': 'admin',
} as const satisfies Record<string, 'admin' | 'user'>;

export type AccessAction = keyof typeof ACCESS;

/** Whether `p` may do `action`; an action missing from the table is refused. */
export function may(p: Principal, action: AccessAction): boolean {
  const rule = (ACCESS as Record<string, 'admin' | 'user' | undefined>)[action];
  if (rule === 'admin') return p.isAdmin;
  if (rule === 'user') return p.userId !== null;
  return false;
}

/** Throws `admin_required` (or `forbidden`) unless `p` may do `action`. */
export function authorize(p: Principal, action: AccessAction): void {
  if (may(p, action)) return;
  if ((ACCESS as Record<string, string | undefined>)[action] === 'admin') throw fail('admin_required', `${action} needs an app-admin token`);
  throw fail('forbidden', `${action} is not allowed`);
}

/** The user a principal acts as; an app-admin token that names no user is refused. */
export function requireUser(p: Principal): UserPrincipal {
  if (p.userId === null) throw fail('forbidden', 'this operation needs a user token');
  return p as UserPrincipal;
}

/**
 * The caller acting as user `userId` of its app. A user token may only be
 * itself; an app-admin token may be any existing user of its app (server
 * jobs), and then has that user's rights, not the admin's. `userExists` is
 * core's lookup (throws user_not_found).
 */
export async function actAsUser(p: Principal, userId: number, userExists: (appId: number, userId: number) => Promise<unknown>): Promise<UserPrincipal> {
  if (!p.isAdmin) {
    if (p.userId !== userId) throw fail('unauthenticated', 'the token does not belong to this user');
    return p as UserPrincipal;
  }
  await userExists(p.appId, userId);
  return { ...p, userId, isAdmin: false };
}

/** The principal as the group rules see it. */
export function actorOf(p: Principal): Actor {
  return { appId: p.appId, userId: p.userId, appAdmin: p.isAdmin };
}
