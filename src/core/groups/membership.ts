// Membership: add members directly, join through an inviter, leave, kick,
// and read the member list.

import { decodeCursor, encodeCursor } from '../cursor.ts';
import { fail, type ErrorCode } from '../errors.ts';
import { admit, admitOne } from './admission.ts';
import { GroupContext, assertUsable, batchIds, requireUserActor } from './context.ts';
import { membershipAudience } from './large-group.ts';
import type { Actor, Member, MemberResult, Paged } from './model.ts';
import { GroupAction, can, mayActOn } from './permissions.ts';
import type { MemberKey } from './ports.ts';

const isMemberKey = (v: unknown): v is MemberKey =>
  typeof v === 'object' && v !== null && Number.isSafeInteger((v as MemberKey).joinedAt) && Number.isSafeInteger((v as MemberKey).userId);

export class Membership {
  readonly #c: GroupContext;
  constructor(c: GroupContext) {
    this.#c = c;
  }

  /**
   * Adds users directly (dtalk invite-group-members, admin adds): per-user
   * answers. With `allOrNothing` (dtalk, whose original refuses a batch as a
   * whole), a user who cannot be admitted for any reason but already being a
   * member fails the whole call with that reason and nothing changes: the
   * capacity check is the admission's own, atomic under the group lock.
   */
  async add(actor: Actor, groupId: number, userIds: readonly number[], opts: { allOrNothing?: boolean } = {}): Promise<MemberResult[]> {
    const ids = batchIds(userIds);
    const c = this.#c;
    return c.mutate(async (tx, emit) => {
      const { group } = await c.authorize(tx, actor, groupId, GroupAction.addMembers, { lock: true });
      const known = await c.knownUsers(tx, actor.appId, ids);
      const results = await admit(tx, emit, { group, userIds: ids, via: 'added', inviterId: actor.userId, actorId: actor.userId, now: c.now(), known });
      const refused = opts.allOrNothing ? results.find((r) => !r.ok && r.reason !== 'already_group_member') : undefined;
      // Thrown inside the transaction: the members admitted before it roll back, and no event is emitted.
      if (refused) throw fail(refused.reason as ErrorCode, `user ${refused.userId} cannot be added to group ${group.id}: ${refused.reason}`, { userId: refused.userId, groupId: group.id });
      return results;
    });
  }

  /**
   * The caller joins through a member who may invite (dtalk join-group): the
   * inviter must be a current member whose role and the invite policy allow
   * adding members.
   */
  async joinVia(actor: Actor, groupId: number, inviterId: number): Promise<void> {
    const userId = requireUserActor(actor);
    const c = this.#c;
    await c.mutate(async (tx, emit) => {
      const group = await c.group(tx, actor.appId, groupId, true);
      const { standing } = await c.standingIn(tx, actor, group);
      if (standing === 'blocked') throw fail('blocked_from_group', `you are blocked from group ${group.id}`);
      if (standing !== 'outsider' && standing !== 'app_admin') throw fail('already_group_member', `you are already a member of group ${group.id}`);
      const inviter = await tx.groups.members.get(group.id, inviterId);
      if (!inviter) throw fail('not_group_member', `the inviter ${inviterId} is not a member of group ${group.id}`, { userId: inviterId });
      assertUsable(group);
      if (!can(GroupAction.addMembers, inviter.role, group)) {
        throw fail(group.invitePolicy === 'members_approval' ? 'invite_needs_approval' : 'invite_not_allowed', `user ${inviterId} may not invite to group ${group.id}`);
      }
      await admitOne(tx, emit, { group, userId, via: 'inviter', inviterId, actorId: userId, now: c.now(), known: new Set([userId]) });
    });
  }

  /**
   * Leaves the group. The owner must transfer first; admins may leave when
   * the group's adminsMayLeave says so, unless the caller's dialect keeps
   * every admin in (`adminsMayLeave: false`, legacy's "admins may not quit").
   */
  async leave(actor: Actor, groupId: number, opts: { adminsMayLeave?: boolean } = {}): Promise<void> {
    const userId = requireUserActor(actor);
    const c = this.#c;
    await c.mutate(async (tx, emit) => {
      const { group, standing } = await c.authorize(tx, actor, groupId, GroupAction.leave, { lock: true });
      if (standing === 'admin' && opts.adminsMayLeave === false) throw fail('admin_cannot_leave', `admins may not leave group ${group.id}`);
      const now = c.now();
      await tx.groups.members.delete(group.id, [userId]);
      group.memberCount -= 1;
      await tx.groups.groups.update(group.id, { memberCount: group.memberCount, updatedAt: now });
      const { audience, quiet } = await membershipAudience(tx, group, [userId]);
      emit({ type: 'group.member_left', appId: group.appId, groupId: group.id, actorId: userId, at: now, audience, userId, memberCount: group.memberCount, ...(quiet ? { quiet } : {}) });
    });
  }

  /** Removes members: per-user answers (yourself, non-members and higher roles fail). */
  async kick(actor: Actor, groupId: number, userIds: readonly number[]): Promise<MemberResult[]> {
    const ids = batchIds(userIds);
    const c = this.#c;
    return c.mutate(async (tx, emit) => {
      const { group, standing } = await c.authorize(tx, actor, groupId, GroupAction.kick, { lock: true });
      const members = new Map((await tx.groups.members.getMany(group.id, ids)).map((m) => [m.userId, m]));
      const results: MemberResult[] = [];
      const removed: number[] = [];
      for (const userId of ids) {
        const m = members.get(userId);
        if (userId === actor.userId) results.push({ userId, ok: false, reason: 'cannot_act_on_self' });
        else if (!m) results.push({ userId, ok: false, reason: 'not_group_member' });
        else if (!mayActOn(standing, m.role)) results.push({ userId, ok: false, reason: 'cannot_act_on_higher_role' });
        else {
          removed.push(userId);
          results.push({ userId, ok: true });
        }
      }
      if (removed.length > 0) {
        const now = c.now();
        group.memberCount -= await tx.groups.members.delete(group.id, removed);
        await tx.groups.groups.update(group.id, { memberCount: group.memberCount, updatedAt: now });
        emit({ type: 'group.members_removed', appId: group.appId, groupId: group.id, actorId: actor.userId, at: now, audience: { groupId: group.id, users: removed }, userIds: removed, reason: 'kicked', memberCount: group.memberCount });
      }
      return results;
    });
  }

  /** Members in join order, with the total. */
  async list(actor: Actor, groupId: number, opts: { cursor?: string; limit: number }): Promise<Paged<Member>> {
    const c = this.#c;
    const { group } = await c.authorize(c.d.store, actor, groupId, GroupAction.viewMembers, { allowDismissed: true });
    const after = opts.cursor ? decodeCursor(opts.cursor, isMemberKey) : null;
    const limit = Math.min(Math.max(opts.limit, 1), 1000);
    const rows = await c.d.store.groups.members.list(group.id, after, limit + 1);
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    const last = page[page.length - 1];
    return { items: page, total: group.memberCount, ...(more ? { next: encodeCursor({ joinedAt: last.joinedAt, userId: last.userId }) } : {}) };
  }

  async get(actor: Actor, groupId: number, userId: number): Promise<Member> {
    const c = this.#c;
    const { group } = await c.authorize(c.d.store, actor, groupId, GroupAction.viewMembers, { allowDismissed: true });
    const m = await c.d.store.groups.members.get(group.id, userId);
    if (!m) throw fail('not_group_member', `user ${userId} is not a member of group ${group.id}`, { userId });
    return m;
  }
}
