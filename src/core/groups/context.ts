// What every group service shares: its ports, the limits, and the few steps
// every operation takes (load the group, find the caller's standing, run the
// change in one transaction, emit the events after commit).

import type { Clock } from '../clock.ts';
import { fail } from '../errors.ts';
import type { DomainEvent, EventHub } from '../events.ts';
import type { IdGenerator } from '../ids.ts';
import type { Repositories, Store } from '../ports.ts';
import type { GroupEvent } from './events.ts';
import type { Actor, Group, Member } from './model.ts';
import { assertCan, type GroupAction, type Standing } from './permissions.ts';

export interface GroupLimits {
  defaultCapacity: number;
  maxCapacity: number;
  maxAdmins: number;
  applicationTtlMs: number;
  invitationTtlMs: number;
  qrCodeTtlMs: number;
}

export interface GroupDeps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  events: EventHub;
  limits: GroupLimits;
  /**
   * Writes what must commit together with a group change, inside its
   * transaction (the messages core: the change's notices in the group's
   * conversation), and returns the events to emit once it has committed.
   */
  recordWithChange?: (tx: Repositories, events: readonly GroupEvent[]) => Promise<DomainEvent[]>;
}

export type Emit = (e: GroupEvent) => void;

/** The caller's relation to a group, with their membership row when they have one. */
export interface Seat {
  group: Group;
  standing: Standing;
  member: Member | undefined;
}

export class GroupContext {
  readonly d: GroupDeps;
  constructor(deps: GroupDeps) {
    this.d = deps;
  }

  now(): number {
    return this.d.clock.now();
  }

  /**
   * Runs `fn` in one transaction, with whatever must be recorded with the
   * change (its notices); the events are emitted only after commit.
   */
  async mutate<T>(fn: (tx: Repositories, emit: Emit) => Promise<T>): Promise<T> {
    const queued: GroupEvent[] = [];
    let recorded: DomainEvent[] = [];
    const record = this.d.recordWithChange;
    const result = await this.d.store.transaction(async (tx) => {
      const r = await fn(tx, (e) => queued.push(e));
      if (record && queued.length > 0) recorded = await record(tx, queued);
      return r;
    });
    for (const e of queued) this.d.events.emit(e);
    for (const e of recorded) this.d.events.emit(e);
    return result;
  }

  async group(repos: Repositories, appId: number, groupId: number, lock = false): Promise<Group> {
    const g = lock ? await repos.groups.groups.lock(groupId) : await repos.groups.groups.get(groupId);
    if (!g || g.appId !== appId) throw fail('group_not_found', `group ${groupId} does not exist`, { groupId });
    return g;
  }

  async seat(repos: Repositories, actor: Actor, groupId: number, lock = false): Promise<Seat> {
    const group = await this.group(repos, actor.appId, groupId, lock);
    return { group, ...(await this.standingIn(repos, actor, group)) };
  }

  async standingIn(repos: Repositories, actor: Actor, group: Group): Promise<{ standing: Standing; member: Member | undefined }> {
    if (actor.userId === null) {
      if (actor.appAdmin) return { standing: 'app_admin', member: undefined };
      throw fail('forbidden', 'this needs a user or an app-admin credential');
    }
    const member = await repos.groups.members.get(group.id, actor.userId);
    if (member) return { standing: member.role, member };
    // An app admin acting as a user who is not a member still has admin powers.
    if (actor.appAdmin) return { standing: 'app_admin', member: undefined };
    const [blocked] = await repos.groups.blocks.getMany(group.id, [actor.userId]);
    return { standing: blocked ? 'blocked' : 'outsider', member: undefined };
  }

  /** Loads, checks the group is usable for changes, and checks the permission table. */
  async authorize(repos: Repositories, actor: Actor, groupId: number, action: GroupAction, opts: { lock?: boolean; allowDismissed?: boolean } = {}): Promise<Seat> {
    const seat = await this.seat(repos, actor, groupId, opts.lock ?? false);
    if (!opts.allowDismissed) assertUsable(seat.group);
    assertCan(action, seat.standing, seat.group);
    return seat;
  }

  /** Users that exist in the actor's app, as a set (unknown ids are reported per user by callers). */
  async knownUsers(repos: Repositories, appId: number, ids: readonly number[]): Promise<Set<number>> {
    const users = await repos.users.getMany(ids);
    return new Set(users.filter((u) => u.appId === appId).map((u) => u.id));
  }
}

export function assertUsable(g: Group): void {
  if (g.status === 'dismissed') throw fail('group_dismissed', `group ${g.id} has been dismissed`, { groupId: g.id });
  if (g.status === 'suspended') throw fail('group_suspended', `group ${g.id} is suspended`, { groupId: g.id });
}

export function requireUserActor(a: Actor): number {
  if (a.userId === null) throw fail('forbidden', 'this needs a user credential');
  return a.userId;
}

/** De-duplicates a batch of user ids and bounds its size. */
export function batchIds(ids: readonly number[], max = 500): number[] {
  const unique = [...new Set(ids)];
  if (unique.length === 0) throw fail('invalid_argument', 'the user list is empty');
  if (unique.length > max) throw fail('invalid_argument', `at most ${max} users per call`);
  for (const id of unique) if (!Number.isSafeInteger(id) || id <= 0) throw fail('invalid_argument', `${id} is not a user id`);
  return unique;
}
