// Lifecycle: create (also find-or-create by a business binding), read (full,
// public, batch, mine), dismiss, transfer ownership.

import { randomBytes, randomInt } from 'node:crypto';
import { decodeCursor, encodeCursor, isPositiveInt } from '../cursor.ts';
import { fail, isParleyError, type ErrorCode } from '../errors.ts';
import type { Repositories } from '../ports.ts';
import { admit, admitOne } from './admission.ts';
import { GroupContext, assertUsable, batchIds, type Emit } from './context.ts';
import { normalNotice, postNoticeAsAnnouncement } from './current-announcement.ts';
import { GroupAction, assertCan } from './permissions.ts';
import type { Actor, Group, GroupInfo, GroupRole, GroupSettings, MemberResult, Paged } from './model.ts';
import { checkInfo, checkSettings } from './validate.ts';

export interface NewGroup extends Partial<GroupInfo> {
  settings?: Partial<GroupSettings>;
  /** Initial members besides the owner. */
  memberIds?: number[];
  /** The owner when an app-admin credential creates the group (users own what they create). */
  ownerId?: number;
  business?: BusinessKey;
  /**
   * Refuse the whole creation when an initial member cannot be admitted
   * (over capacity, unknown user): dtalk's original creates all or nothing.
   * Without it the group is made and `members` says who was not added.
   */
  allOrNothing?: boolean;
}

export interface BusinessKey {
  businessType: string;
  businessId: string;
}

export interface Created {
  group: Group;
  /** Per initial member: added, or why not (unknown user, over capacity). */
  members: MemberResult[];
}

/** What anyone in the app may see of a group (no key, no ext). */
export type PublicGroup = Omit<Group, 'cryptoKey' | 'ext'>;

export interface GroupWithStanding {
  group: PublicGroup;
  joined: boolean;
  role: GroupRole | null;
}

const MARK_ATTEMPTS = 10;
const newMarkId = () => String(randomInt(10_000_000, 100_000_000));
const newCryptoKey = () => randomBytes(16).toString('hex');

const publicGroup = ({ cryptoKey: _k, ext: _e, ...rest }: Group): PublicGroup => rest;

export class Lifecycle {
  readonly #c: GroupContext;
  constructor(c: GroupContext) {
    this.#c = c;
  }

  async create(actor: Actor, input: NewGroup): Promise<Created> {
    const { d } = this.#c;
    const ownerId = actor.userId ?? input.ownerId;
    if (ownerId === undefined || (actor.userId === null && !actor.appAdmin)) throw fail('invalid_argument', 'an app-admin credential must name the ownerId');
    if (actor.userId !== null && input.ownerId !== undefined && input.ownerId !== actor.userId && !actor.appAdmin) {
      throw fail('forbidden', 'only an app admin may create a group for someone else');
    }
    checkInfo(input);
    const settings = checkSettings(input.settings ?? {}, d.limits, 0);
    if (input.business) checkBusiness(input.business);
    const memberIds = input.memberIds ? [...new Set(input.memberIds)].filter((id) => id !== ownerId) : [];
    if (memberIds.length > 0) batchIds(memberIds, 2000);

    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#insert(actor, ownerId, input, settings, memberIds, newMarkId());
      } catch (e) {
        // A mark id collision (8 random digits) is retried; a business-key
        // collision is the caller's to resolve (findOrCreate does).
        if (!(isParleyError(e) && e.code === 'conflict') || attempt >= MARK_ATTEMPTS) throw e;
        if (input.business && (await d.store.groups.groups.findByBusiness(actor.appId, input.business.businessType, input.business.businessId))) throw e;
      }
    }
  }

  #insert(actor: Actor, ownerId: number, input: NewGroup, settings: GroupSettings, memberIds: number[], markId: string): Promise<Created> {
    return this.#c.mutate((tx, emit) => this.#insertIn(tx, emit, actor, ownerId, input, settings, memberIds, markId));
  }

  /** Inserts the group, its owner and its first members inside the caller's transaction. */
  async #insertIn(tx: Repositories, emit: Emit, actor: Actor, ownerId: number, input: NewGroup, settings: GroupSettings, memberIds: number[], markId: string): Promise<Created> {
    const c = this.#c;
    const now = c.now();
    const known = await c.knownUsers(tx, actor.appId, [ownerId, ...memberIds]);
    if (!known.has(ownerId)) throw fail('user_not_found', `user ${ownerId} does not exist`, { userId: ownerId });
    const group: Group = {
      id: c.d.ids.next(),
      appId: actor.appId,
      kind: input.kind ?? 'private',
      status: 'active',
      name: input.name ?? '',
      publicName: input.publicName ?? input.name ?? '',
      avatar: input.avatar ?? '',
      description: input.description ?? '',
      notice: input.notice ?? '',
      ext: input.ext ?? '',
      attrs: input.attrs ?? {},
      ownerId,
      creatorId: ownerId,
      markId,
      cryptoKey: newCryptoKey(),
      businessType: input.business?.businessType ?? null,
      businessId: input.business?.businessId ?? null,
      ...settings,
      memberCount: 1,
      muteAllUntil: null,
      createdAt: now,
      updatedAt: now,
      dismissedAt: null,
    };
    if (group.capacity < 1) throw fail('invalid_argument', 'capacity must be at least 1');
    group.notice = normalNotice(group.notice);
    await tx.groups.groups.insert(group);
    await tx.groups.members.insertMany([
      { groupId: group.id, userId: ownerId, role: 'owner', displayName: '', joinedAt: now, inviterId: null, mutedUntil: null, messageMuteMode: 0, pushMode: 0, updatedAt: now },
    ]);
    emit({ type: 'group.created', appId: group.appId, groupId: group.id, actorId: actor.userId, at: now, audience: { groupId: group.id, users: [ownerId] }, group: { ...group } });
    // A notice given at creation is the group's first announcement.
    await postNoticeAsAnnouncement(c, tx, emit, group, group.notice, actor.userId, now);
    const members = memberIds.length > 0 ? await admit(tx, emit, { group, userIds: memberIds, via: 'created', inviterId: ownerId, actorId: actor.userId, now, known }) : [];
    const refused = input.allOrNothing ? members.find((m) => !m.ok) : undefined;
    // Thrown inside the transaction: nothing of the group is kept.
    if (refused) throw fail(refused.reason as ErrorCode, `user ${refused.userId} cannot be a member of the new group: ${refused.reason}`, { userId: refused.userId });
    return { group, members };
  }

  /**
   * The group bound to a business object, created (bound) on first call. Race
   * safe: the binding is unique per app, so of two concurrent first calls one
   * inserts and the other reads the winner's group.
   */
  async findOrCreateByBusiness(actor: Actor, key: BusinessKey, input: Omit<NewGroup, 'business'>): Promise<Created & { created: boolean }> {
    checkBusiness(key);
    const groups = this.#c.d.store.groups.groups;
    const found = await groups.findByBusiness(actor.appId, key.businessType, key.businessId);
    if (found) return { group: found, members: [], created: false };
    try {
      return { ...(await this.create(actor, { ...input, business: key })), created: true };
    } catch (e) {
      const winner = await groups.findByBusiness(actor.appId, key.businessType, key.businessId);
      if (winner) return { group: winner, members: [], created: false };
      throw e;
    }
  }

  /**
   * xim JoinOrCreate: `userId` in the group named by id, or bound to a
   * business key (created, owned by `userId`, when absent). One transaction:
   * the lookup, the creation and the join commit together, so no caller ever
   * sees the group without the member it was made for. Two first calls race
   * on the binding's unique key; the loser's transaction rolls back whole and
   * runs again, finding the winner's group. Idempotent for a member.
   *
   * The app admin adds anyone (a server acting for its users); a user may
   * only add themselves, and joins an existing group only when its join
   * policy is open (otherwise they apply, like any other join).
   */
  async joinOrCreate(actor: Actor, ref: { groupId: number } | { business: BusinessKey }, userId: number, input: Omit<NewGroup, 'business'> = {}): Promise<{ group: Group; created: boolean; joined: boolean }> {
    if (!actor.appAdmin && actor.userId !== userId) throw fail('forbidden', 'only an app admin may add someone else');
    const ownerId = input.ownerId ?? userId;
    if (!actor.appAdmin && ownerId !== userId) throw fail('forbidden', 'only an app admin may create a group for someone else');
    const key = 'business' in ref ? ref.business : undefined;
    if (key) checkBusiness(key);
    checkInfo(input);
    const settings = checkSettings(input.settings ?? {}, this.#c.d.limits, 0);
    // The user the call is about is among the first members when someone else owns the new group.
    const memberIds = [...new Set([...(input.memberIds ?? []), userId])].filter((id) => id !== ownerId);
    if (memberIds.length > 0) batchIds(memberIds, 2000);
    const c = this.#c;
    for (let attempt = 1; ; attempt++) {
      try {
        return await c.mutate(async (tx, emit) => {
          // By id the group is locked at once; by key it is found first (it may not exist yet), then locked.
          const found = key ? await tx.groups.groups.findByBusiness(actor.appId, key.businessType, key.businessId) : await c.group(tx, actor.appId, (ref as { groupId: number }).groupId, true);
          if (!found) {
            const made = await this.#insertIn(tx, emit, actor, ownerId, { ...input, ...(key ? { business: key } : {}) }, settings, memberIds, newMarkId());
            const mine = made.members.find((m) => m.userId === userId);
            if (mine && !mine.ok) throw fail(mine.reason as ErrorCode, `user ${userId} cannot join group ${made.group.id}: ${mine.reason}`, { userId });
            return { group: made.group, created: true, joined: true };
          }
          const group = key ? await c.group(tx, actor.appId, found.id, true) : found;
          if (await tx.groups.members.get(group.id, userId)) return { group, created: false, joined: false };
          assertUsable(group);
          if (!actor.appAdmin && group.joinPolicy !== 'open') throw fail('join_refused', `group ${group.id} admits by application: apply to join`, { groupId: group.id });
          const known = await c.knownUsers(tx, actor.appId, [userId]);
          await admitOne(tx, emit, { group, userId, via: 'business', inviterId: null, actorId: actor.userId, now: c.now(), known });
          return { group, created: false, joined: true };
        });
      } catch (e) {
        // A concurrent first call bound the key (or a mark id collided): run again.
        if (!(isParleyError(e) && e.code === 'conflict') || attempt >= MARK_ATTEMPTS) throw e;
      }
    }
  }

  /** joinOrCreate by a business key (the native by-business route). */
  joinOrCreateByBusiness(actor: Actor, key: BusinessKey, userId: number, input: Omit<NewGroup, 'business'> = {}): Promise<{ group: Group; created: boolean; joined: boolean }> {
    return this.joinOrCreate(actor, { business: key }, userId, input);
  }

  async findByBusiness(actor: Actor, key: BusinessKey): Promise<Group> {
    checkBusiness(key);
    const g = await this.#c.d.store.groups.groups.findByBusiness(actor.appId, key.businessType, key.businessId);
    if (!g) throw fail('group_not_found', `no group is bound to ${key.businessType}/${key.businessId}`);
    return g;
  }

  /** Binds an existing group to a business object (xim CreateOrRelate with a groupId); idempotent. */
  async bindBusiness(actor: Actor, groupId: number, key: BusinessKey | null): Promise<Group> {
    if (key) checkBusiness(key);
    const c = this.#c;
    return c.mutate(async (tx, emit) => {
      const { group } = await c.authorize(tx, actor, groupId, GroupAction.bindBusiness, { lock: true });
      if (group.businessType === (key?.businessType ?? null) && group.businessId === (key?.businessId ?? null)) return group;
      if (key) {
        const other = await tx.groups.groups.findByBusiness(actor.appId, key.businessType, key.businessId);
        if (other && other.id !== group.id) throw fail('conflict', `group ${other.id} is already bound to ${key.businessType}/${key.businessId}`, { groupId: other.id });
      }
      const now = c.now();
      const patch = { businessType: key?.businessType ?? null, businessId: key?.businessId ?? null, updatedAt: now };
      await tx.groups.groups.update(group.id, patch);
      const updated = { ...group, ...patch };
      emit({ type: 'group.updated', appId: group.appId, groupId: group.id, actorId: actor.userId, at: now, audience: { groupId: group.id }, group: updated, changed: ['business'] });
      return updated;
    });
  }

  /** The whole group, for its members (also former members of a dismissed group) and app admins. */
  async get(actor: Actor, groupId: number): Promise<Group & { role: GroupRole | null }> {
    const seat = await this.#c.seat(this.#c.d.store, actor, groupId);
    assertCan(GroupAction.view, seat.standing, seat.group);
    return { ...seat.group, role: seat.member?.role ?? null };
  }

  /** What anyone in the app may see, whatever their standing (dtalk group-pub-info, lanying public). */
  async publicInfo(actor: Actor, groupId: number): Promise<GroupWithStanding> {
    const seat = await this.#c.seat(this.#c.d.store, actor, groupId);
    return { group: publicGroup(seat.group), joined: seat.member !== undefined, role: seat.member?.role ?? null };
  }

  /** Public info of many groups with the caller's standing (xim InfoBatch, lanying info/batch); unknown ids are skipped. */
  async batchInfo(actor: Actor, groupIds: readonly number[], asUserId?: number): Promise<GroupWithStanding[]> {
    const ids = [...new Set(groupIds)];
    // xim's InfoBatch legitimately names thousands of groups in one call (issue 13).
    if (ids.length > 5000) throw fail('invalid_argument', 'at most 5000 groups per call');
    const store = this.#c.d.store;
    const userId = actor.appAdmin && asUserId !== undefined ? asUserId : actor.userId;
    const groups = (await store.groups.groups.getMany(ids)).filter((g) => g.appId === actor.appId);
    const byId = new Map(groups.map((g) => [g.id, g]));
    const out: GroupWithStanding[] = [];
    for (const id of ids) {
      const g = byId.get(id);
      if (!g) continue;
      const m = userId === null ? undefined : await store.groups.members.get(g.id, userId);
      out.push({ group: publicGroup(g), joined: m !== undefined, role: m?.role ?? null });
    }
    return out;
  }

  /** The groups a user belongs to (their own, or any user's for an app admin). */
  async listOf(actor: Actor, opts: { userId?: number; cursor?: string; limit: number; includeDismissed?: boolean }): Promise<Paged<Group & { role: GroupRole }>> {
    const userId = opts.userId ?? actor.userId;
    if (userId === null) throw fail('invalid_argument', 'name the user whose groups to list');
    if (userId !== actor.userId && !actor.appAdmin) throw fail('forbidden', "only an app admin may list another user's groups");
    const after = opts.cursor ? decodeCursor(opts.cursor, isPositiveInt) : 0;
    const limit = Math.min(Math.max(opts.limit, 1), 1000);
    const repos = this.#c.d.store.groups;
    const includeDismissed = opts.includeDismissed ?? false;
    const rows = await repos.groups.listOfUser(actor.appId, userId, { afterId: after, limit: limit + 1, includeDismissed });
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    const items = [];
    for (const g of page) items.push({ ...g, role: (await repos.members.get(g.id, userId))?.role ?? 'member' });
    const total = await repos.groups.countOfUser(actor.appId, userId, includeDismissed);
    return { items, total, ...(more ? { next: encodeCursor(page[page.length - 1].id) } : {}) };
  }

  /** Public groups of the app (lanying public_list, xim isPublic). */
  async listPublic(actor: Actor, opts: { cursor?: string; limit: number }): Promise<Paged<PublicGroup>> {
    const after = opts.cursor ? decodeCursor(opts.cursor, isPositiveInt) : 0;
    const limit = Math.min(Math.max(opts.limit, 1), 1000);
    const repo = this.#c.d.store.groups.groups;
    const rows = await repo.listPublic(actor.appId, after, limit + 1);
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    return { items: page.map(publicGroup), total: await repo.countPublic(actor.appId), ...(more ? { next: encodeCursor(page[page.length - 1].id) } : {}) };
  }

  /** Dismiss (disband): the owner only. History and member rows are kept; nobody can send or join. */
  async dismiss(actor: Actor, groupId: number): Promise<Group> {
    const c = this.#c;
    return c.mutate(async (tx, emit) => {
      const { group } = await c.authorize(tx, actor, groupId, GroupAction.dismiss, { lock: true });
      const now = c.now();
      const patch = { status: 'dismissed' as const, dismissedAt: now, updatedAt: now };
      await tx.groups.groups.update(group.id, patch);
      emit({ type: 'group.dismissed', appId: group.appId, groupId: group.id, actorId: actor.userId, at: now, audience: { groupId: group.id } });
      return { ...group, ...patch };
    });
  }

  /** Suspend or restore a group (dtalk status 1 "blocked"): app admins only. */
  async setSuspended(actor: Actor, groupId: number, suspended: boolean): Promise<Group> {
    if (!actor.appAdmin) throw fail('admin_required', 'only an app admin may suspend a group');
    const c = this.#c;
    return c.mutate(async (tx, emit) => {
      const group = await c.group(tx, actor.appId, groupId, true);
      if (group.status === 'dismissed') assertUsable(group);
      const now = c.now();
      const patch = { status: suspended ? ('suspended' as const) : ('active' as const), updatedAt: now };
      await tx.groups.groups.update(group.id, patch);
      const updated = { ...group, ...patch };
      emit({ type: 'group.updated', appId: group.appId, groupId: group.id, actorId: actor.userId, at: now, audience: { groupId: group.id }, group: updated, changed: ['status'] });
      return updated;
    });
  }

  /** Ownership moves to a current member; the old owner becomes an ordinary member; the new owner is unmuted. */
  async transfer(actor: Actor, groupId: number, newOwnerId: number): Promise<Group> {
    const c = this.#c;
    return c.mutate(async (tx, emit) => {
      const { group } = await c.authorize(tx, actor, groupId, GroupAction.transfer, { lock: true });
      if (newOwnerId === group.ownerId) throw fail('cannot_act_on_self', 'the user already owns the group');
      const target = await tx.groups.members.get(group.id, newOwnerId);
      if (!target) throw fail('transfer_target_not_member', `user ${newOwnerId} is not a member of group ${group.id}`, { userId: newOwnerId });
      const now = c.now();
      await tx.groups.members.update(group.id, [group.ownerId], { role: 'member', updatedAt: now });
      await tx.groups.members.update(group.id, [newOwnerId], { role: 'owner', mutedUntil: null, updatedAt: now });
      await tx.groups.groups.update(group.id, { ownerId: newOwnerId, updatedAt: now });
      emit({ type: 'group.owner_transferred', appId: group.appId, groupId: group.id, actorId: actor.userId, at: now, audience: { groupId: group.id }, fromUserId: group.ownerId, toUserId: newOwnerId });
      return { ...group, ownerId: newOwnerId, updatedAt: now };
    });
  }
}

function checkBusiness(k: BusinessKey): void {
  for (const v of [k.businessType, k.businessId]) {
    if (typeof v !== 'string' || v.length === 0 || v.length > 128) throw fail('invalid_argument', 'businessType and businessId must be 1 to 128 characters');
  }
}
