// The store port of presence: last seen and whether a user hides it. The only
// presence data that is ever written, and never per keystroke or per connect
// (see last-seen.ts for when).

export interface PresenceRecord {
  userId: number;
  /** Last time the user had a session open (ms), as last flushed; null when never flushed. */
  lastSeenAt: number | null;
  hideLastSeen: boolean;
}

export interface PresenceRepo {
  /** Records of these users; users without a row are absent from the answer. */
  getMany(userIds: readonly number[]): Promise<PresenceRecord[]>;
  /** Raises each user's last seen to the given time (never lowers it), in one statement per call. */
  saveLastSeen(entries: readonly { userId: number; at: number }[]): Promise<void>;
  setHideLastSeen(userId: number, hide: boolean): Promise<void>;
}
