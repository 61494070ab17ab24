// Row shape of the user_presence table (migration 0014-last-seen).

export interface UserPresenceTable {
  user_id: number;
  /** Last time the user had a session open (ms); null before the first flush. */
  last_seen_at: number | null;
  /** 1 when the user hides last seen from others. */
  hide_last_seen: number;
}

export interface PresenceTables {
  user_presence: UserPresenceTable;
}
