// What every messaging operation shares: the ports, the group rules (through
// GroupGate only), the settings, the conversation resolver and the writer.

import type { Clock } from '../clock.ts';
import type { EventHub } from '../events.ts';
import type { GroupGate } from '../groups/gate.ts';
import type { IdGenerator } from '../ids.ts';
import type { Store } from '../ports.ts';
import type { Conversations } from './conversations.ts';
import type { GroupCommit } from './group-commit.ts';
import type { MessageLimits } from './validation.ts';

export interface MessagingSettings extends MessageLimits {
  /** How long a sender may revoke their own message, in seconds. */
  revokeWindowSeconds: number;
  /** Largest history or sync page. */
  maxPage: number;
  /** How long a cached "may send / may read" answer of a group member is trusted (ms); see gate-cache.ts. */
  gateCacheMs: number;
}

export const defaultMessagingSettings: MessagingSettings = {
  revokeWindowSeconds: 120,
  maxTextChars: 5000,
  maxBytes: 16 * 1024,
  maxPage: 200,
  gateCacheMs: 30_000,
};

export interface MessagingContext {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  events: EventHub;
  gate: GroupGate;
  settings: MessagingSettings;
  conversations: Conversations;
  writer: GroupCommit;
}

/** A conversation as named by a caller: a group, or the other user of a private chat. */
export type ConversationTarget = { groupId: number } | { userId: number };

/** Who reads: a user, or null for an app-admin credential (server-to-server dialects), which reads everything. */
export type Viewer = number | null;
