// Read receipts: a reader's position is one small row per (conversation,
// user) that only moves forward. Per-message read counts (groups with read
// receipts on) are derived from those rows, so a group of thousands costs one
// write per reader, never a row per message per reader.

import { decodeCursor, encodeCursor } from '../cursor.ts';
import { fail } from '../errors.ts';
import type { Audience } from '../events.ts';
import type { ConversationTarget, MessagingContext, Viewer } from './context.ts';
import { audienceOf, type Conversation, type Message } from './model.ts';
import type { ReaderKey } from './ports.ts';
import { unreadCounts } from './unread.ts';

export interface ReadState {
  conversationId: number | null;
  /** The reader's position: every message with seq <= readSeq counts as read. */
  readSeq: number;
  lastSeq: number;
  /** Messages after the read position that count for the reader: not their own, not revoked, not notices (see unread.ts). */
  unread: number;
  /** Of those, the ones mentioning the reader or everyone. */
  mentions: number;
}

const NOTHING: ReadState = { conversationId: null, readSeq: 0, lastSeq: 0, unread: 0, mentions: 0 };

export interface MessageReads {
  messageId: number;
  /** Readers other than the sender whose position covers the message. */
  readCount: number;
  /** Group conversations: current members other than the sender who have not read it. */
  unreadCount?: number;
  /** Private conversations: whether the recipient has read it. */
  read?: boolean;
}

export async function markRead(ctx: MessagingContext, appId: number, userId: number, target: ConversationTarget, seq: number): Promise<ReadState> {
  if (!Number.isSafeInteger(seq) || seq < 0) throw fail('invalid_argument', 'seq must be a non-negative integer', { field: 'seq' });
  const scope = await ctx.conversations.scopeOf(appId, userId, target);
  const conversation = scope.conversation;
  if (!conversation) {
    if (seq > 0) throw fail('invalid_argument', `seq ${seq} is beyond the conversation's last message (0)`, { field: 'seq' });
    return NOTHING;
  }
  const current = await ctx.conversations.get(conversation.id);
  const lastSeq = current?.lastSeq ?? conversation.lastSeq;
  if (seq > lastSeq) throw fail('invalid_argument', `seq ${seq} is beyond the conversation's last message (${lastSeq})`, { field: 'seq' });
  const now = ctx.clock.now();
  // Coalesced with the other readers' reports of this moment (read-writer.ts); resolved once stored.
  const { stored, moved } = await ctx.reads.advance({ conversationId: conversation.id, userId, seq, at: now });
  if (moved) {
    // Private: the peer sees "read"; groups: members see counts only when receipts are on.
    const audience: Audience = conversation.kind === 'private' || scope.group?.readReceipts ? audienceOf(conversation) : { users: [userId] };
    ctx.events.emit({ type: 'conversation.read', appId, audience, conversationId: conversation.id, groupId: conversation.groupId, userId, seq: stored, at: now });
  }
  return stateOf(ctx, current ?? conversation, userId, stored, scope.sinceMs);
}

/**
 * Mark-as-unread: every message from `seq` on (default: the last one) is
 * unread again for the caller. The one way a read position moves back; only
 * the caller's own devices are told (peers keep the receipts they saw).
 */
export async function markUnread(ctx: MessagingContext, appId: number, userId: number, target: ConversationTarget, seq?: number): Promise<ReadState> {
  if (seq !== undefined && (!Number.isSafeInteger(seq) || seq < 1)) throw fail('invalid_argument', 'seq must be a positive integer', { field: 'seq' });
  const scope = await ctx.conversations.scopeOf(appId, userId, target);
  if (!scope.conversation) throw fail('invalid_argument', 'the conversation has no message to mark unread', { field: 'seq' });
  const c = (await ctx.conversations.get(scope.conversation.id)) ?? scope.conversation;
  const from = seq ?? c.lastSeq;
  if (from > c.lastSeq) throw fail('invalid_argument', `seq ${from} is beyond the conversation's last message (${c.lastSeq})`, { field: 'seq' });
  const before = await ctx.store.readPositions.get(c.id, userId);
  const now = ctx.clock.now();
  const stored = await ctx.store.readPositions.rewind(c.id, userId, from - 1, now);
  if (stored < before) ctx.events.emit({ type: 'conversation.read', appId, audience: { users: [userId] }, conversationId: c.id, groupId: c.groupId, userId, seq: stored, at: now });
  return stateOf(ctx, c, userId, stored, scope.sinceMs);
}

async function stateOf(ctx: MessagingContext, c: Conversation, userId: number, readSeq: number, sinceMs: number): Promise<ReadState> {
  const counts = await unreadCounts(ctx, c, userId, readSeq, sinceMs);
  return { conversationId: c.id, readSeq, lastSeq: c.lastSeq, ...counts };
}

export async function readState(ctx: MessagingContext, appId: number, userId: number, target: ConversationTarget): Promise<ReadState> {
  const scope = await ctx.conversations.scopeOf(appId, userId, target);
  if (!scope.conversation) return NOTHING;
  const c = (await ctx.conversations.get(scope.conversation.id)) ?? scope.conversation;
  return stateOf(ctx, c, userId, await ctx.store.readPositions.get(c.id, userId), scope.sinceMs);
}

/**
 * Read counts of a page of messages of one conversation (excluding each
 * message's sender), from the readers per position at or beyond the page's
 * first message (one grouped query on the (conversation, seq) index) and the
 * senders' own positions: never a row per reader.
 */
export async function readCounts(ctx: MessagingContext, c: Conversation, messages: readonly Pick<Message, 'seq' | 'senderId'>[]): Promise<number[]> {
  const minSeq = Math.min(...messages.map((m) => m.seq));
  const counts = await ctx.store.readPositions.countsFrom(c.id, minSeq);
  const senders = messages.map((m) => m.senderId).filter((id): id is number => id !== null);
  const senderSeq = await ctx.store.readPositions.getMany(c.id, senders);
  return messages.map((m) => {
    let readers = 0;
    for (const { seq, readers: n } of counts) if (seq >= m.seq) readers += n;
    const senderRead = m.senderId !== null && (senderSeq.get(m.senderId) ?? 0) >= m.seq;
    return readers - (senderRead ? 1 : 0);
  });
}

export interface MessageReaders {
  messageId: number;
  /** Readers other than the sender whose position covers the message, in (position, user) order. */
  items: { userId: number; readSeq: number }[];
  next?: string;
}

const isReaderKey = (v: unknown): v is ReaderKey =>
  typeof v === 'object' && v !== null && Number.isSafeInteger((v as ReaderKey).seq) && Number.isSafeInteger((v as ReaderKey).userId);

/** The message a reads question is about, once the viewer may see its receipts. */
async function receiptsOf(ctx: MessagingContext, appId: number, viewer: Viewer, messageId: number) {
  const record = await ctx.store.messages.get(messageId);
  if (!record || record.appId !== appId) throw fail('message_not_found', `message ${messageId} does not exist`);
  const c = await ctx.conversations.get(record.conversationId);
  if (!c) throw fail('message_not_found', `message ${messageId} does not exist`);
  const scope = await ctx.conversations.scopeOfConversation(appId, viewer, c);
  if (record.createdAt < scope.sinceMs) throw fail('message_not_found', `message ${messageId} does not exist`);
  if (c.kind !== 'private' && scope.group && !scope.group.readReceipts) throw fail('forbidden', 'this group does not show read receipts');
  return { record, c };
}

/** "Who read this": pages through the readers of a message (an index range, whatever the group's size). */
export async function messageReaders(ctx: MessagingContext, appId: number, viewer: Viewer, messageId: number, opts: { cursor?: string; limit?: number }): Promise<MessageReaders> {
  const { record, c } = await receiptsOf(ctx, appId, viewer, messageId);
  const limit = Math.min(Math.max(opts.limit ?? 100, 1), 1000);
  const after = opts.cursor ? decodeCursor(opts.cursor, isReaderKey) : null;
  const rows = await ctx.store.readPositions.readersFrom(c.id, record.seq, after, limit + 1);
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page[page.length - 1];
  return {
    messageId,
    items: page.filter((r) => r.userId !== record.senderId).map((r) => ({ userId: r.userId, readSeq: r.seq })),
    ...(more ? { next: encodeCursor({ seq: last.seq, userId: last.userId }) } : {}),
  };
}

export async function messageReads(ctx: MessagingContext, appId: number, viewer: Viewer, messageId: number): Promise<MessageReads> {
  const { record, c } = await receiptsOf(ctx, appId, viewer, messageId);
  const [readCount] = await readCounts(ctx, c, [record]);
  if (c.kind === 'private') return { messageId, readCount, read: readCount > 0 };
  const members = await ctx.gate.memberCount(appId, c.groupId as number);
  const others = Math.max(0, members - (record.senderId === null ? 0 : 1));
  return { messageId, readCount, unreadCount: Math.max(0, others - readCount) };
}
