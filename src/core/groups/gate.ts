// The contract between groups and messages: what the messaging core asks the
// group rules before it stores, shows or deletes a group message. Groups
// implement it (src/core/groups/); messages consume it. Keeping it this small
// keeps the message hot path free of group internals.

export type GroupRole = 'owner' | 'admin' | 'member';

export interface GroupReadAccess {
  role: GroupRole;
  /**
   * Earliest message time (ms) this member may read: 0 when the group shows
   * earlier history to new members, else the member's join time.
   */
  visibleSinceMs: number;
  /** Whether the group has read receipts on (per-message read counts). */
  readReceipts: boolean;
}

export interface GroupGate {
  /**
   * Resolves when `userId` may send to `groupId` now; otherwise throws the
   * reason: group_not_found, group_dismissed, not_group_member,
   * blocked_from_group, member_muted, group_muted (mute-all and not admin).
   * Returns the sender's role (owners and admins may revoke others' messages).
   */
  assertCanSend(appId: number, groupId: number, userId: number): Promise<GroupRole>;

  /**
   * Resolves with what `userId` may read in `groupId` (history, sync, read
   * positions); throws group_not_found or not_group_member. A dismissed group
   * stays readable by those who were members when it was dismissed.
   */
  readAccess(appId: number, groupId: number, userId: number): Promise<GroupReadAccess>;

  /** The ids of the groups `userId` is a current member of (sync, gateway subscriptions). */
  groupIdsOf(appId: number, userId: number): Promise<number[]>;

  /** The number of current members (read counts of group receipts). */
  memberCount(appId: number, groupId: number): Promise<number>;
}
