// What every messaging operation shares: the ports, the group rules (through
// GroupGate only), the settings, the conversation resolver and the writer.

import type { Clock } from '../clock.ts';
import type { EventHub } from '../events.ts';
import type { GroupGate } from '../groups/gate.ts';
import type { IdGenerator } from '../ids.ts';
import type { Store } from '../ports.ts';
import type { Conversations } from './conversations.ts';
import type { GroupCommit } from './group-commit.ts';
import type { ReadPositionWriter } from './read-writer.ts';
import type { MessageLimits } from './validation.ts';
import type { EventOutbox } from '../webhooks/outbox.ts';
import type { BeforeSend } from '../webhooks/moderation.ts';

/** The rules a send or revoke is held to: limits and the sender's revoke window. */
export interface MessageRules extends MessageLimits {
  /** How long a sender may revoke their own message, in seconds. */
  revokeWindowSeconds: number;
  /**
   * A reply whose quoted message or thread root is not a message of the
   * conversation the sender may read: refused (true), or sent without the
   * link (false: dtalk, whose original stores `reference` as given).
   */
  repliesMustResolve: boolean;
}

/**
 * Named rule sets. `native` is Parley's own (the settings' top level); a
 * dialect whose original server has other limits asks for its set
 * explicitly, so the difference is a core rule with its own test, not a
 * bypass in the dialect.
 */
export const RuleSet = { native: 'native', dtalk: 'dtalk' } as const;
export type RuleSet = (typeof RuleSet)[keyof typeof RuleSet];

export interface MessagingSettings extends MessageRules {
  /**
   * dtalk (the original's source): the original's only size limit is its 1 MiB
   * request body, and its revoke window (`Revoke.Expire`) is 86400 h.
   */
  dtalk: MessageRules;
  /** How long a sender may edit their text message, in seconds (every dialect alike). */
  editWindowSeconds: number;
  /** Largest history or sync page. */
  maxPage: number;
  /** How long a cached "may send / may read" answer of a group member is trusted (ms); see gate-cache.ts. */
  gateCacheMs: number;
  /** Most distinct emoji one message may carry (reactions.ts). */
  maxReactionEmoji: number;
  /** Most emoji one user may react with on one message. */
  maxReactionsPerUser: number;
  /** Most pinned messages per conversation (pins.ts). */
  maxPins: number;
}

export const defaultMessagingSettings: MessagingSettings = {
  revokeWindowSeconds: 120,
  repliesMustResolve: true,
  editWindowSeconds: 86_400,
  maxTextChars: 5000,
  maxBytes: 16 * 1024,
  maxPage: 200,
  gateCacheMs: 30_000,
  maxReactionEmoji: 20,
  maxReactionsPerUser: 3,
  maxPins: 50,
  dtalk: {
    revokeWindowSeconds: 86_400 * 3600,
    repliesMustResolve: false,
    // A text or payload is bounded by the 1 MiB body it came in; the JSON
    // that stores it may be larger (escapes, base64).
    maxTextChars: 1 << 20,
    maxBytes: 8 << 20,
  },
};

/** The rules of a named set. */
export function rulesOf(settings: MessagingSettings, set: RuleSet): MessageRules {
  return set === RuleSet.dtalk ? settings.dtalk : settings;
}

export interface MessagingContext {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  events: EventHub;
  gate: GroupGate;
  settings: MessagingSettings;
  conversations: Conversations;
  writer: GroupCommit;
  /** Where committed changes leave their webhook deliveries, in their own transaction. */
  outbox: EventOutbox;
  /** The app's moderation hook, asked before a user's message is stored (absent: every message is accepted). */
  beforeSend?: BeforeSend;
  /** Coalesces read-position writes (read-writer.ts). */
  reads: ReadPositionWriter;
}

/** A conversation as named by a caller: a group, or the other user of a private chat. */
export type ConversationTarget = { groupId: number } | { userId: number };

/** Who reads: a user, or null for an app-admin credential (server-to-server dialects), which reads everything. */
export type Viewer = number | null;
