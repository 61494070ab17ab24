// The storage the messaging core needs, one interface per entity. Each method
// states what is atomic; the adapters are in src/store/repos/messages*.ts.

import type { Conversation, MessageBody, MessageTypeName } from './model.ts';

/** A message as stored (the conversation's facts — kind, group, peer — are joined by core). */
export interface MessageRecord {
  id: number;
  appId: number;
  conversationId: number;
  seq: number;
  pos: number;
  senderId: number | null;
  clientId: string | null;
  type: MessageTypeName;
  body: MessageBody;
  ext: Record<string, unknown> | null;
  createdAt: number;
  revokedAt: number | null;
  revokedBy: number | null;
  /** A reply: the message it quotes (same conversation). */
  replyToId: number | null;
  /** The thread's root, when the sender named one (dtalk `reference.topic`). */
  threadRootId: number | null;
  /** The last edit's time, null when never edited. */
  editedAt: number | null;
  editCount: number;
}

/** One send to append: everything but seq and pos, which the store allocates, and what only later changes set. */
export type Appendable = Omit<MessageRecord, 'seq' | 'pos' | 'revokedAt' | 'revokedBy' | 'editedAt' | 'editCount' | 'replyToId' | 'threadRootId'> & Partial<Pick<MessageRecord, 'replyToId' | 'threadRootId'>>;

export type AppendOutcome = { stored: MessageRecord; duplicate: false } | { stored: MessageRecord; duplicate: true };

export interface ConversationRepo {
  /** The group's conversation, created on first use (race-safe: concurrent callers get the same row). */
  ensureGroup(appId: number, groupId: number, newId: number, now: number): Promise<Conversation>;
  /** The pair's conversation (userA < userB), created on first use, race-safe. */
  ensurePrivate(appId: number, userA: number, userB: number, newId: number, now: number): Promise<Conversation>;
  get(id: number): Promise<Conversation | undefined>;
  getMany(ids: readonly number[]): Promise<Conversation[]>;
  findGroup(appId: number, groupId: number): Promise<Conversation | undefined>;
  findPrivate(appId: number, userA: number, userB: number): Promise<Conversation | undefined>;
  /** The user's private conversations and the given groups' conversations with last_pos > pos. */
  changedSince(appId: number, userId: number, groupIds: readonly number[], pos: number): Promise<Conversation[]>;
  /**
   * The conversations the user is in that have messages (private ones, and
   * the given groups'), newest activity first; `beforePos` continues a list
   * after the conversation whose lastPos it is.
   */
  listForUser(appId: number, userId: number, groupIds: readonly number[], limit: number, beforePos?: number): Promise<Conversation[]>;
}

export interface HistoryRange {
  conversationId: number;
  /** Exclusive bounds on seq. */
  afterSeq: number;
  beforeSeq: number;
  /** Only messages created at or after this time (history visibility, time filters). */
  sinceMs: number;
  /** Exclusive bounds on the id value (dialects whose cursors are ids that need not name a message here); 0 = none. */
  idAbove?: number;
  idBelow?: number;
  order: 'asc' | 'desc';
  limit: number;
}

/** The part of a conversation a reader has not read yet (see core/messages/unread.ts). */
export interface UnreadTailQuery {
  conversationId: number;
  /** The reader's position: only messages with seq > afterSeq. */
  afterSeq: number;
  /** Their own messages never count. */
  readerId: number;
  /** Messages created before this are not visible to the reader. */
  sinceMs: number;
  /** Count at most this many (and return at most this many candidates). */
  limit: number;
}

/** What `unreadTail` answers. */
export interface UnreadTail {
  count: number;
  mentionCandidates: MessageBody[];
}

export interface MessageRepo {
  /**
   * Appends sends, each to its conversation, in ONE atomic step; must run
   * inside `Store.transaction`. Allocates gapless seqs per conversation
   * (under the conversation row's lock) and stream positions (from the one
   * allocator, src/store/repos/message-stream.ts), so concurrent appends from
   * any number of processes never share or skip a seq and never share a pos. A send whose
   * (conversation, sender, clientId) is already stored — or appears earlier
   * in the same call — is not stored again: its outcome is the original.
   */
  append(items: readonly Appendable[]): Promise<AppendOutcome[]>;
  get(id: number): Promise<MessageRecord | undefined>;
  /** The stored messages among these ids (any order; unknown ids are left out). */
  getMany(ids: readonly number[]): Promise<MessageRecord[]>;
  getBySeq(conversationId: number, seq: number): Promise<MessageRecord | undefined>;
  page(range: HistoryRange): Promise<MessageRecord[]>;
  /**
   * The stream's watermark: every change at or below it is committed (0
   * before any). Writes in flight may hold higher positions and lower ones
   * never appear later, so a reader that reads no further never skips one.
   */
  streamHead(): Promise<number>;
  /** Messages of these conversations with pos > pos and ≤ upTo (a watermark), in pos order (`desc`: the newest `limit` of them, newest first). */
  changedSince(conversationIds: readonly number[], pos: number, upTo: number, limit: number, order?: 'asc' | 'desc'): Promise<MessageRecord[]>;
  /**
   * The reader's unread tail: messages after `afterSeq` that are not theirs,
   * not revoked, not server notices and visible to them; `count` stops at
   * `limit`. `mentionCandidates` are the bodies of those that may mention
   * someone (text with mentions); core decides whom they mention.
   */
  unreadTail(q: UnreadTailQuery): Promise<UnreadTail>;
  /** `unreadTail` for many conversations (one query each) in a few statements, by conversation id. */
  unreadTails(queries: readonly UnreadTailQuery[]): Promise<Map<number, UnreadTail>>;
  /** The message at `seq` of each conversation (their last ones: the conversation list), in a few statements. */
  lastOf(conversations: readonly { conversationId: number; seq: number }[]): Promise<MessageRecord[]>;
  /**
   * Replaces the message by a revoke marker and moves it to a new stream
   * position, atomically; must run inside `Store.transaction`. Returns the
   * updated record, or undefined when it was already revoked.
   */
  revoke(id: number, marker: { type: MessageTypeName; body: MessageBody; at: number; by: number }): Promise<MessageRecord | undefined>;
  /**
   * Replaces an unrevoked message's body, stamps the edit and moves it to a
   * new stream position (the same path as `revoke`), atomically; must run
   * inside `Store.transaction`. Returns the updated record, or undefined
   * when it is revoked.
   */
  edit(id: number, change: { body: MessageBody; at: number }): Promise<MessageRecord | undefined>;
  /**
   * Moves a message that is not revoked to a new stream position (its
   * annotations changed: reactions, pin), so sync carries it again; takes the
   * stream lock exactly as `revoke` does, so checks made after it in the same
   * transaction cannot race another writer. Must run inside
   * `Store.transaction`. Undefined when the message is revoked or missing.
   */
  reposition(id: number): Promise<MessageRecord | undefined>;
}

/** One reaction count of a message, as a reader sees it. */
export interface ReactionCount {
  emoji: string;
  count: number;
  /** The reader reacted with this emoji. */
  me: boolean;
}

/** A reaction's place in the "who reacted" list (reaction time, then user). */
export interface ReactorKey {
  at: number;
  userId: number;
}

export interface ReactionRepo {
  /** Stores one reaction; false when this user already reacted with this emoji. */
  add(messageId: number, userId: number, emoji: string, at: number): Promise<boolean>;
  /** Removes one reaction; false when there was none. */
  remove(messageId: number, userId: number, emoji: string): Promise<boolean>;
  /** The emoji this user reacted with on the message. */
  ofUser(messageId: number, userId: number): Promise<string[]>;
  /** The distinct emoji on the message. */
  emojiOf(messageId: number): Promise<string[]>;
  /**
   * Counts per emoji of each message (emoji in order of their first
   * reaction), with `me` for `viewerId` (false for every emoji when null).
   */
  counts(messageIds: readonly number[], viewerId: number | null): Promise<Map<number, ReactionCount[]>>;
  /** Who reacted with `emoji`, oldest first, after `after`. */
  reactors(messageId: number, emoji: string, after: ReactorKey | undefined, limit: number): Promise<ReactorKey[]>;
  /** Drops every reaction of the message (it was revoked). */
  removeAll(messageId: number): Promise<void>;
}

export interface PinRecord {
  messageId: number;
  conversationId: number;
  pinnedBy: number;
  pinnedAt: number;
}

export interface PinRepo {
  /** Pins the message; false when it was already pinned. */
  add(pin: PinRecord): Promise<boolean>;
  /** Unpins the message; the pin that was removed, if any. */
  remove(messageId: number): Promise<PinRecord | undefined>;
  getMany(messageIds: readonly number[]): Promise<Map<number, PinRecord>>;
  count(conversationId: number): Promise<number>;
  /** The conversation's pins, newest first, older than `before` (pinnedAt, then messageId). */
  list(conversationId: number, before: { at: number; messageId: number } | undefined, limit: number): Promise<PinRecord[]>;
}

export interface ReadPositionRepo {
  /** Moves the reader's position forward (never back); returns the position now stored. */
  advance(conversationId: number, userId: number, seq: number, at: number): Promise<number>;
  get(conversationId: number, userId: number): Promise<number>;
  /** `advance` for many readers at once (newcomers of a group start at their join), in a few statements. */
  advanceMany(conversationId: number, userIds: readonly number[], seq: number, at: number): Promise<void>;
  /** Mark-as-unread: moves the reader's position back to `seq` if it is beyond; returns the position now stored. */
  rewind(conversationId: number, userId: number, seq: number, at: number): Promise<number>;
  getForUser(userId: number, conversationIds: readonly number[]): Promise<Map<number, number>>;
  /**
   * `advance` for readers of any conversations in one statement (the
   * coalesced writes of read-writer.ts); at most one item per (conversation,
   * user). Answers per item the position now stored and whether it moved.
   */
  advanceBatch(items: readonly ReadAdvance[]): Promise<{ stored: number; moved: boolean }[]>;
  /** The positions of some readers of one conversation (0 for none). */
  getMany(conversationId: number, userIds: readonly number[]): Promise<Map<number, number>>;
  /** How many readers sit at each position at or beyond `minSeq` (read counts, from the (conversation, seq) index). */
  countsFrom(conversationId: number, minSeq: number): Promise<{ seq: number; readers: number }[]>;
  /** Readers whose position is at or beyond `minSeq`, in (position, user) order after `after`: "who read this", paged. */
  readersFrom(conversationId: number, minSeq: number, after: ReaderKey | null, limit: number): Promise<ReaderKey[]>;
}

export interface ReadAdvance {
  conversationId: number;
  userId: number;
  seq: number;
  at: number;
}

/** A reader and their position (also the "who read this" cursor). */
export interface ReaderKey {
  userId: number;
  seq: number;
}

export interface FocusRepo {
  /** Records the focus once; false when this user had already focused the message. */
  add(messageId: number, userId: number, at: number): Promise<boolean>;
  list(messageId: number): Promise<{ userId: number; at: number }[]>;
  count(messageId: number): Promise<number>;
}

export interface MessagingRepositories {
  conversations: ConversationRepo;
  messages: MessageRepo;
  readPositions: ReadPositionRepo;
  focus: FocusRepo;
  reactions: ReactionRepo;
  pins: PinRepo;
}
