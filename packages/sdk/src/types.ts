// The shapes Parley's native API answers with (see /openapi.json). Ids are
// 53-bit integers, safe as JavaScript numbers.

export interface User {
  id: number;
  handle: string;
  displayName: string;
  avatar: string;
  profile: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

export interface Session {
  token: string;
  expiresAt: number | null;
  user: User;
}

export type ConversationKind = 'group' | 'private';

export interface Message {
  id: number;
  conversationId: number;
  kind: ConversationKind;
  groupId: number | null;
  senderId: number | null;
  recipientId: number | null;
  /** Gapless position within the conversation. */
  seq: number;
  /** Position in the caller's sync stream. */
  pos: number;
  clientId: string | null;
  /** text, image, file, …; `revoked` once revoked. */
  type: string;
  body: Record<string, unknown>;
  ext: Record<string, unknown> | null;
  createdAt: number;
  revokedAt: number | null;
  revokedBy: number | null;
  readCount?: number;
  /** A reply: the quoted message's id, and the quote as it is now (docs/messages.md, Replies). */
  replyToId?: number | null;
  replyTo?: ReplySummary;
  threadRootId?: number | null;
  /** When the text was last edited (null: never), and how often. */
  editedAt?: number | null;
  editCount?: number;
  /** Per emoji, in order of first reaction; `me`: you reacted with it. */
  reactions?: Reaction[];
  /** Set while the message is pinned in its conversation. */
  pinned?: { by: number; at: number } | null;
}

export interface Reaction {
  emoji: string;
  count: number;
  me: boolean;
}

/** One entry of a conversation's pinned list. */
export interface PinnedItem {
  pinnedBy: number;
  pinnedAt: number;
  message: Message;
}

/** The quoted message of a reply. */
export interface ReplySummary {
  id: number;
  senderId: number | null;
  type: string;
  /** The start of its text, or a type label such as `[image]`. */
  excerpt: string;
  revoked?: true;
  hidden?: true;
}

export interface HistoryPage {
  items: Message[];
  more: boolean;
  next?: string;
  lastSeq: number;
  conversationId: number | null;
}

/** A range of text, in UTF-16 code units. */
export interface TextRange {
  start: number;
  length: number;
}

/** One hit of GET /v1/search. */
export interface SearchHit {
  message: Message;
  conversation: { id: number; kind: ConversationKind; groupId: number | null; peerId: number | null };
  text: string;
  matches: TextRange[];
  excerpt: { text: string; matches: TextRange[] };
}

export interface SearchPage {
  items: SearchHit[];
  next?: string;
}

export interface SyncPage {
  items: Message[];
  position: number;
  more: boolean;
}

export interface ConversationSummary {
  id: number;
  kind: ConversationKind;
  groupId: number | null;
  peerId: number | null;
  lastSeq: number;
  readSeq: number;
  /** Messages that count for you: not your own, not revoked, not notices. */
  unread: number;
  /** Of those, the ones that mention you or everyone. */
  mentions: number;
  lastMessage: Message | null;
}

export interface ReadState {
  conversationId: number | null;
  readSeq: number;
  lastSeq: number;
  unread: number;
  mentions: number;
}

/** Where a message goes: a group, or a user (private chat). */
export type Target = { groupId: number } | { userId: number };

/** Someone typing in a conversation (an ephemeral frame; docs/websocket.md). */
export interface TypingFrame {
  conversation: string;
  /** Set for group chats. */
  groupId?: number;
  /** Who types. */
  userId: number;
  active: boolean;
  ttlMs: number;
}

/** A user's presence: online, or offline since lastSeenAt (absent when hidden or unknown). */
export interface Presence {
  userId: number;
  online: boolean;
  lastSeenAt?: number;
}

export interface OutgoingMessage {
  type: string;
  body: Record<string, unknown>;
  ext?: Record<string, unknown> | null;
  /** Makes a resend idempotent: the server answers a repeat with the original. */
  clientId?: string;
  /** Quote this message of the same conversation. */
  replyTo?: number;
}

export type GroupRole = 'owner' | 'admin' | 'member';
export type JoinPolicy = 'open' | 'approval' | 'closed';

export interface Group {
  id: number;
  name: string;
  avatar: string;
  description: string;
  /** The group's notice board (its announcement). */
  notice: string;
  ownerId: number;
  memberCount: number;
  status: string;
  joinPolicy: JoinPolicy;
  readReceipts: boolean;
  muteAllUntil: number | null;
  muteAllForever: boolean;
  /** The caller's role; null when not a member. */
  role: GroupRole | null;
  [field: string]: unknown;
}

export interface Member {
  userId: number;
  role: GroupRole;
  displayName: string;
  joinedAt: number;
  mutedUntil: number | null;
  mutedForever: boolean;
  [field: string]: unknown;
}

/** Per-user outcome of a batch action (add, kick, mute…). */
export interface Results {
  results: { userId: number; ok: boolean; reason?: string }[];
}

export interface Application {
  id: number;
  groupId: number;
  applicantId: number;
  inviterId: number | null;
  reason: string;
  status: string;
  createdAt: number;
  [field: string]: unknown;
}

export interface Invitation {
  id: number;
  groupId: number;
  inviterId: number | null;
  inviteeId: number;
  status?: string;
  createdAt?: number;
  [field: string]: unknown;
}

export interface StoredFile {
  id: number;
  key: string;
  contentType: string;
  size: number;
  [field: string]: unknown;
}

/** The error envelope of every native route: `{error:{code,message,details}}`. */
export class ParleyError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;
  constructor(status: number, code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'ParleyError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}
