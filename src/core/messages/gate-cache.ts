// A cache in front of GroupGate for the two checks on the hot paths (may this
// user send here; what may they read). Only answers that allow are cached,
// for at most `ttlMs`, and any group event in this process drops the group's
// entries at once (kick, mute, role change, dismiss…). Changes made by other
// processes arrive through `forgetGroup` (the composition root relays them
// over the bus, see src/bus/cache-sync.ts), so `ttlMs` only bounds how
// long a lost notification can matter. Refusals are never cached, so a mute
// or a kick is never extended by the cache, and an expired mute is seen at
// the next send.
//
// An answer is stored only if no invalidation of its group happened while it
// was being computed: a check that read "member" just before a kick committed
// must not land in the cache after the kick dropped the group's entries (it
// would let the kicked member send until the entry expires). Every
// invalidation takes a number from a counter; a computation remembers the
// counter when it starts, and its answer is kept only if neither its group
// nor everything was invalidated since.

import type { Clock } from '../clock.ts';
import type { DomainEvent, EventHub } from '../events.ts';
import type { GroupGate, GroupMembership, GroupReadAccess, GroupRole, SendStanding } from '../groups/gate.ts';
import { assertCanPost, assertMayPost, assertMayReact } from '../groups/post-rules.ts';
import { GroupAnswers } from './group-answers.ts';

const MAX_ENTRIES = 100_000;
/** Past this many groups invalidated while checks were in flight, every check in flight is discarded (bounded memory, failing closed). */
const MAX_GROUP_MARKS = 10_000;
/**
 * Group events that change no cached answer: newcomers had no cached answer
 * (refusals are not cached), and requests, announcements, files and a
 * member's display settings are not part of a standing. Dropping a group's
 * entries on every join would make each join in a 100,000-member group cost
 * every active member a store read. Any other group event, including ones
 * added later, drops the group (failing closed).
 */
const LEAVES_STANDING_ALONE = new Set([
  'group.created',
  'group.members_joined',
  'group.member_updated',
  'group.application_created',
  'group.application_handled',
  'group.invitation_created',
  'group.invitation_handled',
  'group.announcement_posted',
  'group.announcement_updated',
  'group.announcement_deleted',
  'group.file_added',
  'group.file_renamed',
  'group.file_deleted',
]);

/**
 * Whose send and read rules an event may have changed: one group, every
 * group (a group event that names none), or nobody. Only the groups core
 * changes group rules, and every change it makes is a `group.*` event;
 * messages, calls, users, tokens and devices leave them alone.
 */
export function groupRulesChangedBy(e: DomainEvent): number | 'all' | undefined {
  if (!e.type.startsWith('group.') || LEAVES_STANDING_ALONE.has(e.type)) return undefined;
  const groupId = (e as { groupId?: unknown }).groupId ?? (e as { audience?: { groupId?: unknown } }).audience?.groupId ?? (e as { group?: { id?: unknown } }).group?.id;
  return typeof groupId === 'number' ? groupId : 'all';
}

export class CachedGroupGate implements GroupGate {
  readonly #gate: GroupGate;
  readonly #clock: Clock;
  readonly #ttlMs: number;
  readonly #send = new GroupAnswers<SendStanding>(MAX_ENTRIES);
  readonly #read = new GroupAnswers<GroupReadAccess>(MAX_ENTRIES);
  /** Counts invalidations; a check in flight compares it with the marks below. */
  #invalidations = 0;
  /** The counter at the last invalidation of everything. */
  #everythingAt = 0;
  /** The counter at each group's last invalidation, kept while checks are in flight. */
  readonly #groupAt = new Map<number, number>();
  #inFlight = 0;

  constructor(gate: GroupGate, clock: Clock, events: EventHub, ttlMs: number) {
    this.#gate = gate;
    this.#clock = clock;
    this.#ttlMs = ttlMs;
    events.on((e) => this.#onEvent(e));
  }

  #onEvent(e: DomainEvent): void {
    const changed = groupRulesChangedBy(e);
    if (changed === 'all') this.forgetAll();
    else if (changed !== undefined) this.forgetGroup(changed);
  }

  /** Drops what is known of one group's members (its rules changed somewhere). */
  forgetGroup(groupId: number): void {
    const at = ++this.#invalidations;
    if (this.#inFlight > 0) {
      this.#groupAt.set(groupId, at);
      if (this.#groupAt.size > MAX_GROUP_MARKS) this.#markEverything(at);
    }
    this.#send.forgetGroup(groupId);
    this.#read.forgetGroup(groupId);
  }

  /** Drops everything (notifications of other processes' changes may have been lost). */
  forgetAll(): void {
    this.#markEverything(++this.#invalidations);
    this.#send.clear();
    this.#read.clear();
  }

  #markEverything(at: number): void {
    this.#everythingAt = at;
    this.#groupAt.clear();
  }

  /**
   * Asks the gate, and caches an answer that allows unless the group was
   * invalidated while the gate was being asked. Refusals (thrown) are not cached.
   */
  async #ask<T extends object | string>(answers: GroupAnswers<T>, groupId: number, key: string, ask: () => Promise<T>): Promise<T> {
    const hit = answers.get(key, this.#clock.now());
    if (hit !== undefined) return hit;
    const startedAt = this.#invalidations;
    this.#inFlight++;
    try {
      const value = await ask();
      if (this.#everythingAt <= startedAt && (this.#groupAt.get(groupId) ?? 0) <= startedAt) {
        answers.set(key, groupId, value, this.#clock.now() + this.#ttlMs);
      }
      return value;
    } finally {
      // Nothing in flight: no check can have started before a mark, so the marks can go.
      if (--this.#inFlight === 0) this.#groupAt.clear();
    }
  }

  standing(appId: number, groupId: number, userId: number): Promise<SendStanding> {
    return this.#ask(this.#send, groupId, `${appId}:${groupId}:${userId}`, () => this.#gate.standing(appId, groupId, userId));
  }

  async assertCanSend(appId: number, groupId: number, userId: number): Promise<GroupRole> {
    return assertMayPost(await this.standing(appId, groupId, userId), groupId);
  }

  /** The standing comes from the cache; the slow-mode turn always from the store (it must hold across processes). */
  assertCanPost(appId: number, groupId: number, userId: number): Promise<GroupRole> {
    return assertCanPost(this, appId, groupId, userId);
  }

  async assertCanReact(appId: number, groupId: number, userId: number): Promise<GroupRole> {
    return assertMayReact(await this.standing(appId, groupId, userId), groupId);
  }

  takeSlowModeTurn(appId: number, groupId: number, userId: number, seconds: number): Promise<void> {
    return this.#gate.takeSlowModeTurn(appId, groupId, userId, seconds);
  }

  readAccess(appId: number, groupId: number, userId: number): Promise<GroupReadAccess> {
    return this.#ask(this.#read, groupId, `${appId}:${groupId}:${userId}`, () => this.#gate.readAccess(appId, groupId, userId));
  }

  groupIdsOf(appId: number, userId: number): Promise<number[]> {
    return this.#gate.groupIdsOf(appId, userId);
  }

  membershipsOf(appId: number, userId: number): Promise<GroupMembership[]> {
    return this.#gate.membershipsOf(appId, userId);
  }

  memberCount(appId: number, groupId: number): Promise<number> {
    return this.#gate.memberCount(appId, groupId);
  }
}
