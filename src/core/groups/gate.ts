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
  /** Whether the group shows earlier history to new members (else each member's history starts at their join). */
  historyVisible: boolean;
  /** Whether the group has read receipts on (per-message read counts). */
  readReceipts: boolean;
}

/** A current membership: the group and when the member joined it. */
export interface GroupMembership {
  groupId: number;
  joinedAt: number;
}

/** What decides whether a member may post or react now (post-rules.ts applies it). */
export interface SendStanding {
  role: GroupRole;
  /** Only owners and admins post. */
  broadcast: boolean;
  /** Under broadcast, members may still react and reply. */
  membersMayReact: boolean;
  /** Minimum seconds between two messages of one ordinary member; 0 = off. */
  slowModeSeconds: number;
}

export interface GroupGate {
  /**
   * Resolves with the member's standing when `userId` may take part in
   * `groupId` now; otherwise throws the reason: group_not_found,
   * group_dismissed, group_suspended, not_group_member, blocked_from_group,
   * member_muted, group_muted (mute-all and not admin). Broadcast and slow
   * mode are not applied here (see the assert methods).
   */
  standing(appId: number, groupId: number, userId: number): Promise<SendStanding>;

  /**
   * Resolves when `userId` may send to `groupId` now: the standing's
   * refusals, and group_broadcast_only for an ordinary member of a broadcast
   * group. Returns the sender's role (owners and admins may revoke others'
   * messages). Slow mode is not applied (a call or a check is not a message).
   */
  assertCanSend(appId: number, groupId: number, userId: number): Promise<GroupRole>;

  /**
   * assertCanSend, then slow mode: an ordinary member's turn to post is taken
   * in the store (atomic across processes) or refused with `slow_mode`
   * (details.retryAfterMs). The send path's one check; the turn is spent even
   * if the message then fails to store.
   */
  assertCanPost(appId: number, groupId: number, userId: number): Promise<GroupRole>;

  /**
   * May `userId` react to or reply in `groupId` (the standing's refusals;
   * under broadcast, ordinary members only when membersMayReact). The
   * reusable rule for reactions and threaded replies.
   */
  assertCanReact(appId: number, groupId: number, userId: number): Promise<GroupRole>;

  /** Takes an ordinary member's slow-mode turn or throws slow_mode (with retryAfterMs). */
  takeSlowModeTurn(appId: number, groupId: number, userId: number, seconds: number): Promise<void>;

  /**
   * Resolves with what `userId` may read in `groupId` (history, sync, read
   * positions); throws group_not_found or not_group_member. A dismissed group
   * stays readable by those who were members when it was dismissed.
   */
  readAccess(appId: number, groupId: number, userId: number): Promise<GroupReadAccess>;

  /** The ids of the groups `userId` is a current member of (sync, gateway subscriptions). */
  groupIdsOf(appId: number, userId: number): Promise<number[]>;

  /** The same groups with when `userId` joined each (the gateway hides quotes of history from before a join). */
  membershipsOf(appId: number, userId: number): Promise<GroupMembership[]>;

  /** The number of current members (read counts of group receipts). */
  memberCount(appId: number, groupId: number): Promise<number>;
}
