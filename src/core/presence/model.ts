// Typing and presence as core sees them: ephemeral signals that are never
// stored (only last seen is, lazily: last-seen.ts) and the port they leave by.

/** The rules' tunables; each is also a setting in src/config.ts. */
export interface PresenceSettings {
  /** Groups up to this many members hear their members come online and go offline; larger ones do not (clients ask). */
  groupLimit: number;
  /** How often last-seen times are written, in one batch. */
  flushMs: number;
  /** A session's typing signals for one conversation closer together than this are coalesced. */
  typingIntervalMs: number;
}

export const defaultPresenceSettings: PresenceSettings = { groupLimit: 100, flushMs: 30_000, typingIntervalMs: 2000 };

/** How long a client shows "typing" after a start signal unless another start or a stop follows. */
export const TYPING_TTL_MS = 5000;
/** Private peers (most recent conversations first) who hear a user's presence changes. */
export const MAX_PRESENCE_PEERS = 200;

/** Where a typing signal goes: a group, or one peer in a private conversation. */
export type TypingTarget = { groupId: number } | { userId: number };

export interface TypingSignal {
  /** Who types. */
  userId: number;
  /** true: started or still typing (show it for ttlMs); false: stopped. */
  active: boolean;
  ttlMs: number;
}

/** What others see of a user's presence. */
export interface PresenceView {
  userId: number;
  online: boolean;
  /** When they were last online (ms); absent while online, when unknown, or when they hide it. */
  lastSeenAt?: number;
}

/** Who hears a user's presence changes: small groups (by topic) and recent private peers. */
export interface PresenceAudience {
  groupIds: readonly number[];
  userIds: readonly number[];
}

/**
 * The way out for ephemeral signals: the gateway puts them on the bus topics
 * its sessions hear (src/gateway/ephemeral.ts). Fire and forget, at most once:
 * a lost signal is corrected by the next one or by a TTL.
 */
export interface EphemeralOut {
  typing(from: number, target: TypingTarget, signal: TypingSignal): void;
  presence(audience: PresenceAudience, view: PresenceView): void;
}
