// Moderation: mute and unmute members (until a deadline or for ever), block
// and unblock users (a blocked member is removed and cannot come back by any
// path until unblocked).

import { decodeCursor, encodeCursor, isPositiveInt } from '../cursor.ts';
import type { GroupContext } from './context.ts';
import { batchIds } from './context.ts';
import type { Actor, Block, Member, MemberResult, Paged } from './model.ts';
import { muteDeadline, type MuteSpec } from './mute.ts';
import { GroupAction, mayActOn } from './permissions.ts';

export class Moderation {
  readonly #c: GroupContext;
  constructor(c: GroupContext) {
    this.#c = c;
  }

  /**
   * Mutes ordinary members; owners and admins cannot be muted
   * (cannot_mute_staff). `maxMs` bounds a timed mute (a dialect's documented
   * limit: dtalk's 24 h).
   */
  async mute(actor: Actor, groupId: number, userIds: readonly number[], spec: MuteSpec, opts: { maxMs?: number } = {}): Promise<MemberResult[]> {
    const ids = batchIds(userIds);
    const c = this.#c;
    const until = muteDeadline(spec, c.now(), opts.maxMs);
    return c.mutate(async (tx, emit) => {
      const { group } = await c.authorize(tx, actor, groupId, GroupAction.mute, { lock: true });
      const members = new Map((await tx.groups.members.getMany(group.id, ids)).map((m) => [m.userId, m]));
      const results: MemberResult[] = [];
      const muted: number[] = [];
      for (const userId of ids) {
        const m = members.get(userId);
        if (userId === actor.userId) results.push({ userId, ok: false, reason: 'cannot_act_on_self' });
        else if (!m) results.push({ userId, ok: false, reason: 'not_group_member' });
        else if (m.role !== 'member') results.push({ userId, ok: false, reason: 'cannot_mute_staff' });
        else {
          muted.push(userId);
          results.push({ userId, ok: true });
        }
      }
      if (muted.length > 0) {
        const now = c.now();
        await tx.groups.members.update(group.id, muted, { mutedUntil: until, updatedAt: now });
        emit({ type: 'group.members_muted', appId: group.appId, groupId: group.id, actorId: actor.userId, at: now, audience: { groupId: group.id }, userIds: muted, mutedUntil: until });
      }
      return results;
    });
  }

  async unmute(actor: Actor, groupId: number, userIds: readonly number[]): Promise<MemberResult[]> {
    const ids = batchIds(userIds);
    const c = this.#c;
    return c.mutate(async (tx, emit) => {
      const { group } = await c.authorize(tx, actor, groupId, GroupAction.mute, { lock: true });
      const members = new Set((await tx.groups.members.getMany(group.id, ids)).map((m) => m.userId));
      const results: MemberResult[] = ids.map((userId) => (members.has(userId) ? { userId, ok: true } : { userId, ok: false, reason: 'not_group_member' }));
      const unmuted = ids.filter((id) => members.has(id));
      if (unmuted.length > 0) {
        const now = c.now();
        await tx.groups.members.update(group.id, unmuted, { mutedUntil: null, updatedAt: now });
        emit({ type: 'group.members_unmuted', appId: group.appId, groupId: group.id, actorId: actor.userId, at: now, audience: { groupId: group.id }, userIds: unmuted });
      }
      return results;
    });
  }

  /** Members muted now (expired mutes are not listed). */
  async listMuted(actor: Actor, groupId: number, opts: { cursor?: string; limit: number }): Promise<Paged<Member>> {
    const c = this.#c;
    const { group } = await c.authorize(c.d.store, actor, groupId, GroupAction.viewMembers, { allowDismissed: true });
    const now = c.now();
    const after = opts.cursor ? decodeCursor(opts.cursor, isPositiveInt) : 0;
    const limit = Math.min(Math.max(opts.limit, 1), 1000);
    const rows = await c.d.store.groups.members.listMuted(group.id, now, after, limit + 1);
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    const total = await c.d.store.groups.members.countMuted(group.id, now);
    return { items: page, total, ...(more ? { next: encodeCursor(page[page.length - 1].userId) } : {}) };
  }

  /** Blocks users: members among them are removed (same role rules as kicking); already blocked is success. */
  async block(actor: Actor, groupId: number, userIds: readonly number[]): Promise<MemberResult[]> {
    const ids = batchIds(userIds);
    const c = this.#c;
    return c.mutate(async (tx, emit) => {
      const { group, standing } = await c.authorize(tx, actor, groupId, GroupAction.block, { lock: true });
      const known = await c.knownUsers(tx, actor.appId, ids);
      const members = new Map((await tx.groups.members.getMany(group.id, ids)).map((m) => [m.userId, m]));
      const results: MemberResult[] = [];
      const blocked: number[] = [];
      const removed: number[] = [];
      for (const userId of ids) {
        const m = members.get(userId);
        if (userId === actor.userId) results.push({ userId, ok: false, reason: 'cannot_act_on_self' });
        else if (!known.has(userId)) results.push({ userId, ok: false, reason: 'user_not_found' });
        else if (m && !mayActOn(standing, m.role)) results.push({ userId, ok: false, reason: 'cannot_act_on_higher_role' });
        else {
          blocked.push(userId);
          if (m) removed.push(userId);
          results.push({ userId, ok: true });
        }
      }
      const now = c.now();
      if (removed.length > 0) {
        group.memberCount -= await tx.groups.members.delete(group.id, removed);
        await tx.groups.groups.update(group.id, { memberCount: group.memberCount, updatedAt: now });
        emit({ type: 'group.members_removed', appId: group.appId, groupId: group.id, actorId: actor.userId, at: now, audience: { groupId: group.id, users: removed }, userIds: removed, reason: 'blocked', memberCount: group.memberCount });
      }
      if (blocked.length > 0) {
        await tx.groups.blocks.insertMany(blocked.map((userId) => ({ groupId: group.id, userId, blockedBy: actor.userId, createdAt: now })));
        emit({ type: 'group.members_blocked', appId: group.appId, groupId: group.id, actorId: actor.userId, at: now, audience: { groupId: group.id, users: blocked }, userIds: blocked });
      }
      return results;
    });
  }

  /** Unblocks users; one who was not blocked fails with not_found. */
  async unblock(actor: Actor, groupId: number, userIds: readonly number[]): Promise<MemberResult[]> {
    const ids = batchIds(userIds);
    const c = this.#c;
    return c.mutate(async (tx, emit) => {
      const { group } = await c.authorize(tx, actor, groupId, GroupAction.block, { lock: true });
      const blocked = new Set((await tx.groups.blocks.getMany(group.id, ids)).map((b) => b.userId));
      const freed = ids.filter((id) => blocked.has(id));
      if (freed.length > 0) {
        const now = c.now();
        await tx.groups.blocks.delete(group.id, freed);
        emit({ type: 'group.members_unblocked', appId: group.appId, groupId: group.id, actorId: actor.userId, at: now, audience: { groupId: group.id, users: freed }, userIds: freed });
      }
      return ids.map((userId) => (blocked.has(userId) ? { userId, ok: true } : { userId, ok: false, reason: 'not_found' }));
    });
  }

  async listBlocked(actor: Actor, groupId: number, opts: { cursor?: string; limit: number }): Promise<Paged<Block>> {
    const c = this.#c;
    const { group } = await c.authorize(c.d.store, actor, groupId, GroupAction.viewBlocked, { allowDismissed: true });
    const after = opts.cursor ? decodeCursor(opts.cursor, isPositiveInt) : 0;
    const limit = Math.min(Math.max(opts.limit, 1), 1000);
    const rows = await c.d.store.groups.blocks.list(group.id, after, limit + 1);
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    return { items: page, total: await c.d.store.groups.blocks.count(group.id), ...(more ? { next: encodeCursor(page[page.length - 1].userId) } : {}) };
  }
}
