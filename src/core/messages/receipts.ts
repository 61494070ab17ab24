// Read receipts: a reader's position is one small row per (conversation,
// user) that only moves forward. Per-message read counts (groups with read
// receipts on) are derived from those rows, so a group of thousands costs one
// write per reader, never a row per message per reader.

import { fail } from '../errors.ts';
import type { Audience } from '../events.ts';
import type { ConversationTarget, MessagingContext, Viewer } from './context.ts';
import { audienceOf, type Conversation, type Message } from './model.ts';
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
  const before = await ctx.store.readPositions.get(conversation.id, userId);
  const now = ctx.clock.now();
  const stored = await ctx.store.readPositions.advance(conversation.id, userId, seq, now);
  if (stored > before) {
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

/** Read counts of a page of messages of one conversation (excluding each message's sender). */
export async function readCounts(ctx: MessagingContext, c: Conversation, messages: readonly Pick<Message, 'seq' | 'senderId'>[]): Promise<number[]> {
  const minSeq = Math.min(...messages.map((m) => m.seq));
  const positions = await ctx.store.readPositions.positionsFrom(c.id, minSeq);
  return messages.map((m) => positions.filter((p) => p.seq >= m.seq && p.userId !== m.senderId).length);
}

export async function messageReads(ctx: MessagingContext, appId: number, viewer: Viewer, messageId: number): Promise<MessageReads> {
  const record = await ctx.store.messages.get(messageId);
  if (!record || record.appId !== appId) throw fail('message_not_found', `message ${messageId} does not exist`);
  const c = await ctx.conversations.get(record.conversationId);
  if (!c) throw fail('message_not_found', `message ${messageId} does not exist`);
  const scope = await ctx.conversations.scopeOfConversation(appId, viewer, c);
  if (record.createdAt < scope.sinceMs) throw fail('message_not_found', `message ${messageId} does not exist`);
  const [readCount] = await readCounts(ctx, c, [record]);
  if (c.kind === 'private') return { messageId, readCount, read: readCount > 0 };
  if (scope.group && !scope.group.readReceipts) throw fail('forbidden', 'this group does not show read receipts');
  const members = await ctx.gate.memberCount(appId, c.groupId as number);
  const others = Math.max(0, members - (record.senderId === null ? 0 : 1));
  return { messageId, readCount, unreadCount: Math.max(0, others - readCount) };
}
