// Roles: the owner appoints and removes admins (at most limits.maxAdmins).
// Ownership moves by Lifecycle.transfer.

import type { GroupContext } from './context.ts';
import { batchIds } from './context.ts';
import type { Actor, GroupRole, Member, MemberResult } from './model.ts';
import { GroupAction } from './permissions.ts';

export class Roles {
  readonly #c: GroupContext;
  constructor(c: GroupContext) {
    this.#c = c;
  }

  /** Makes members admins (they are unmuted); per-user answers; already an admin counts as success. */
  addAdmins(actor: Actor, groupId: number, userIds: readonly number[]): Promise<MemberResult[]> {
    return this.#setRole(actor, groupId, userIds, 'admin');
  }

  /** Makes admins ordinary members; per-user answers; already a member counts as success. */
  removeAdmins(actor: Actor, groupId: number, userIds: readonly number[]): Promise<MemberResult[]> {
    return this.#setRole(actor, groupId, userIds, 'member');
  }

  async listAdmins(actor: Actor, groupId: number): Promise<Member[]> {
    const c = this.#c;
    const { group } = await c.authorize(c.d.store, actor, groupId, GroupAction.viewMembers, { allowDismissed: true });
    return c.d.store.groups.members.listByRole(group.id, ['admin']);
  }

  async #setRole(actor: Actor, groupId: number, userIds: readonly number[], role: GroupRole): Promise<MemberResult[]> {
    const ids = batchIds(userIds);
    const c = this.#c;
    return c.mutate(async (tx, emit) => {
      const { group } = await c.authorize(tx, actor, groupId, GroupAction.manageAdmins, { lock: true });
      const members = new Map((await tx.groups.members.getMany(group.id, ids)).map((m) => [m.userId, m]));
      let admins = await tx.groups.members.countByRole(group.id, 'admin');
      const results: MemberResult[] = [];
      const changed: number[] = [];
      for (const userId of ids) {
        const m = members.get(userId);
        if (!m) results.push({ userId, ok: false, reason: 'not_group_member' });
        else if (m.role === 'owner') results.push({ userId, ok: false, reason: userId === actor.userId ? 'cannot_act_on_self' : 'cannot_act_on_higher_role' });
        else if (m.role === role) results.push({ userId, ok: true });
        else if (role === 'admin' && admins >= c.d.limits.maxAdmins) results.push({ userId, ok: false, reason: 'too_many_admins' });
        else {
          admins += role === 'admin' ? 1 : -1;
          changed.push(userId);
          results.push({ userId, ok: true });
        }
      }
      if (changed.length > 0) {
        const now = c.now();
        await tx.groups.members.update(group.id, changed, role === 'admin' ? { role, mutedUntil: null, updatedAt: now } : { role, updatedAt: now });
        emit({ type: 'group.roles_changed', appId: group.appId, groupId: group.id, actorId: actor.userId, at: now, audience: { groupId: group.id }, userIds: changed, role });
      }
      return results;
    });
  }
}
