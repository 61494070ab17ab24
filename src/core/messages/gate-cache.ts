// A cache in front of GroupGate for the two checks on the hot paths (may this
// user send here; what may they read). Only answers that allow are cached,
// for at most `ttlMs`, and any group event in this process drops the group's
// entries at once (kick, mute, role change, dismiss…). Changes made by other
// processes arrive through `forgetGroup` (the composition root relays them
// over the bus, see src/bus/cache-sync.ts), so `ttlMs` only bounds how
// long a lost notification can matter. Refusals are never cached, so a mute
// or a kick is never extended by the cache, and an expired mute is seen at
// the next send.

import type { Clock } from '../clock.ts';
import type { DomainEvent, EventHub } from '../events.ts';
import type { GroupGate, GroupReadAccess, GroupRole } from '../groups/gate.ts';

interface Entry<T> {
  value: T;
  until: number;
}

const MAX_ENTRIES = 100_000;
/**
 * Whose send and read rules an event may have changed: one group, every
 * group (a group event that names none), or nobody. Only the groups core
 * changes group rules, and every change it makes is a `group.*` event;
 * messages, calls, users, tokens and devices leave them alone.
 */
export function groupRulesChangedBy(e: DomainEvent): number | 'all' | undefined {
  if (!e.type.startsWith('group.')) return undefined;
  const groupId = (e as { groupId?: unknown }).groupId ?? (e as { audience?: { groupId?: unknown } }).audience?.groupId ?? (e as { group?: { id?: unknown } }).group?.id;
  return typeof groupId === 'number' ? groupId : 'all';
}

export class CachedGroupGate implements GroupGate {
  readonly #gate: GroupGate;
  readonly #clock: Clock;
  readonly #ttlMs: number;
  readonly #send = new Map<string, Entry<GroupRole>>();
  readonly #read = new Map<string, Entry<GroupReadAccess>>();

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
    const tag = `:${groupId}:`;
    for (const k of this.#send.keys()) if (k.includes(tag)) this.#send.delete(k);
    for (const k of this.#read.keys()) if (k.includes(tag)) this.#read.delete(k);
  }

  /** Drops everything (notifications of other processes' changes may have been lost). */
  forgetAll(): void {
    this.#send.clear();
    this.#read.clear();
  }

  #hit<T>(map: Map<string, Entry<T>>, key: string): T | undefined {
    const e = map.get(key);
    if (!e) return undefined;
    if (e.until > this.#clock.now()) return e.value;
    map.delete(key);
    return undefined;
  }

  #put<T>(map: Map<string, Entry<T>>, key: string, value: T): void {
    if (map.size >= MAX_ENTRIES) map.clear();
    map.set(key, { value, until: this.#clock.now() + this.#ttlMs });
  }

  async assertCanSend(appId: number, groupId: number, userId: number): Promise<GroupRole> {
    const key = `${appId}:${groupId}:${userId}`;
    const hit = this.#hit(this.#send, key);
    if (hit) return hit;
    const role = await this.#gate.assertCanSend(appId, groupId, userId);
    this.#put(this.#send, key, role);
    return role;
  }

  async readAccess(appId: number, groupId: number, userId: number): Promise<GroupReadAccess> {
    const key = `${appId}:${groupId}:${userId}`;
    const hit = this.#hit(this.#read, key);
    if (hit) return hit;
    const access = await this.#gate.readAccess(appId, groupId, userId);
    this.#put(this.#read, key, access);
    return access;
  }

  groupIdsOf(appId: number, userId: number): Promise<number[]> {
    return this.#gate.groupIdsOf(appId, userId);
  }

  memberCount(appId: number, groupId: number): Promise<number> {
    return this.#gate.memberCount(appId, groupId);
  }
}
