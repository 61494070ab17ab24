// GroupGate (gate.ts) over the group store: what messages ask before storing,
// showing or deleting a group message. Two indexed reads per call.

import { fail } from '../errors.ts';
import type { Store } from '../ports.ts';
import type { Clock } from '../clock.ts';
import type { GroupGate, GroupMembership, GroupReadAccess, GroupRole, SendStanding } from './gate.ts';
import type { Group } from './model.ts';
import { isMuted } from './mute.ts';
import { assertCanPost, assertMayPost, assertMayReact, slowModeRefusal } from './post-rules.ts';

export class StoreGroupGate implements GroupGate {
  readonly #store: Store;
  readonly #clock: Clock;
  constructor(store: Store, clock: Clock) {
    this.#store = store;
    this.#clock = clock;
  }

  async #group(appId: number, groupId: number): Promise<Group> {
    const g = await this.#store.groups.groups.get(groupId);
    if (!g || g.appId !== appId) throw fail('group_not_found', `group ${groupId} does not exist`, { groupId });
    return g;
  }

  async standing(appId: number, groupId: number, userId: number): Promise<SendStanding> {
    const g = await this.#group(appId, groupId);
    if (g.status === 'dismissed') throw fail('group_dismissed', `group ${groupId} has been dismissed`, { groupId });
    if (g.status === 'suspended') throw fail('group_suspended', `group ${groupId} is suspended`, { groupId });
    const m = await this.#store.groups.members.get(groupId, userId);
    if (!m) {
      const [blocked] = await this.#store.groups.blocks.getMany(groupId, [userId]);
      if (blocked) throw fail('blocked_from_group', `you are blocked from group ${groupId}`, { groupId });
      throw fail('not_group_member', `you are not a member of group ${groupId}`, { groupId });
    }
    const now = this.#clock.now();
    if (isMuted(m.mutedUntil, now)) throw fail('member_muted', 'you are muted in this group', { groupId, mutedUntil: m.mutedUntil });
    if (m.role === 'member' && isMuted(g.muteAllUntil, now)) throw fail('group_muted', 'only the owner and admins may speak in this group now', { groupId, mutedUntil: g.muteAllUntil });
    return { role: m.role, broadcast: g.broadcast, membersMayReact: g.membersMayReact, slowModeSeconds: g.slowModeSeconds };
  }

  async assertCanSend(appId: number, groupId: number, userId: number): Promise<GroupRole> {
    return assertMayPost(await this.standing(appId, groupId, userId), groupId);
  }

  assertCanPost(appId: number, groupId: number, userId: number): Promise<GroupRole> {
    return assertCanPost(this, appId, groupId, userId);
  }

  async assertCanReact(appId: number, groupId: number, userId: number): Promise<GroupRole> {
    return assertMayReact(await this.standing(appId, groupId, userId), groupId);
  }

  async takeSlowModeTurn(_appId: number, groupId: number, userId: number, seconds: number): Promise<void> {
    const now = this.#clock.now();
    const intervalMs = seconds * 1000;
    const r = await this.#store.groups.members.takePostTurn(groupId, userId, now, intervalMs);
    if (r === 'taken') return;
    if (r.lastPostedAt === null) throw fail('not_group_member', `you are not a member of group ${groupId}`, { groupId });
    throw slowModeRefusal(groupId, r.lastPostedAt + intervalMs - now);
  }

  async readAccess(appId: number, groupId: number, userId: number): Promise<GroupReadAccess> {
    const g = await this.#group(appId, groupId);
    // Member rows outlive a dismissal, so former members keep reading history.
    const m = await this.#store.groups.members.get(groupId, userId);
    if (!m) throw fail('not_group_member', `you are not a member of group ${groupId}`, { groupId });
    return { role: m.role, visibleSinceMs: g.historyVisible ? 0 : m.joinedAt, historyVisible: g.historyVisible, readReceipts: g.readReceipts };
  }

  /** Groups the user is a member of, excluding dismissed ones (nothing more arrives there). */
  groupIdsOf(appId: number, userId: number): Promise<number[]> {
    return this.#store.groups.members.groupIdsOf(appId, userId);
  }

  membershipsOf(appId: number, userId: number): Promise<GroupMembership[]> {
    return this.#store.groups.members.listJoinedGroups(appId, userId);
  }

  async memberCount(appId: number, groupId: number): Promise<number> {
    return (await this.#group(appId, groupId)).memberCount;
  }
}
