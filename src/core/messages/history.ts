// History of one conversation: a window of seqs, newest-first or oldest-first,
// paged with an opaque cursor. A message id works as an anchor everywhere a
// seq does, so dialects that page by message id (xim `start`, dtalk `logId`)
// need no mapping of their own.

import { decodeCursor, encodeCursor } from '../cursor.ts';
import { fail } from '../errors.ts';
import type { ConversationTarget, MessagingContext, Viewer } from './context.ts';
import { toMessage } from './conversations.ts';
import type { Conversation, Message } from './model.ts';
import { readCounts } from './receipts.ts';

/** A point in a conversation: a seq, or a message id. */
export type Anchor = { seq: number } | { id: number };

export interface HistoryQuery {
  /** Only messages before this anchor (exclusive). */
  before?: Anchor;
  /** Only messages after this anchor (exclusive). */
  after?: Anchor;
  /** desc: the newest of the window first (default unless only `after` is given); asc: the oldest first. */
  order?: 'asc' | 'desc';
  limit?: number;
  /** From a previous page's `next`: continues it (other fields then ignored). */
  cursor?: string;
}

export interface HistoryItem extends Message {
  /** Group conversations with read receipts on: how many other members have read it. */
  readCount?: number;
}

export interface HistoryPage {
  items: HistoryItem[];
  more: boolean;
  next?: string;
  /** The conversation's highest seq when read (0 when it has no message). */
  lastSeq: number;
  conversationId: number | null;
}

interface Window {
  a: number;
  b: number;
  o: 'asc' | 'desc';
}
const isWindow = (v: unknown): v is Window => {
  const w = v as Window;
  return typeof w === 'object' && w !== null && Number.isSafeInteger(w.a) && Number.isSafeInteger(w.b) && (w.o === 'asc' || w.o === 'desc');
};

const UNBOUNDED = Number.MAX_SAFE_INTEGER;

export async function history(ctx: MessagingContext, appId: number, viewer: Viewer, target: ConversationTarget, q: HistoryQuery): Promise<HistoryPage> {
  const limit = clampLimit(q.limit, ctx.settings.maxPage);
  const scope = await ctx.conversations.scopeOf(appId, viewer, target);
  // Re-read: the resolver caches conversations, and lastSeq must be current.
  const conversation = scope.conversation && ((await ctx.conversations.get(scope.conversation.id)) ?? scope.conversation);
  if (!conversation) {
    if (q.cursor) decodeCursor(q.cursor, isWindow);
    return { items: [], more: false, lastSeq: 0, conversationId: null };
  }
  const w = q.cursor ? decodeCursor(q.cursor, isWindow) : await windowOf(ctx, conversation, q);
  const rows = await ctx.store.messages.page({ conversationId: conversation.id, afterSeq: w.a, beforeSeq: w.b, sinceMs: scope.sinceMs, order: w.o, limit: limit + 1 });
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  let items: HistoryItem[] = page.map((r) => toMessage(r, conversation));
  if (scope.group?.readReceipts && items.length > 0) {
    const counts = await readCounts(ctx, conversation, items);
    items = items.map((m, i) => ({ ...m, readCount: counts[i] }));
  }
  const last = page[page.length - 1];
  const next = more ? encodeCursor(w.o === 'desc' ? { a: w.a, b: last.seq, o: w.o } : { a: last.seq, b: w.b, o: w.o }) : undefined;
  return { items, more, ...(next ? { next } : {}), lastSeq: conversation.lastSeq, conversationId: conversation.id };
}

function clampLimit(limit: number | undefined, max: number): number {
  if (limit === undefined) return Math.min(50, max);
  if (!Number.isSafeInteger(limit) || limit < 1) throw fail('invalid_argument', 'limit must be a positive integer', { field: 'limit' });
  return Math.min(limit, max);
}

async function windowOf(ctx: MessagingContext, c: Conversation, q: HistoryQuery): Promise<Window> {
  const a = q.after ? await seqOf(ctx, c, q.after) : 0;
  const b = q.before ? await seqOf(ctx, c, q.before) : UNBOUNDED;
  const o = q.order ?? (q.after && !q.before ? 'asc' : 'desc');
  return { a, b, o };
}

async function seqOf(ctx: MessagingContext, c: Conversation, anchor: Anchor): Promise<number> {
  if ('seq' in anchor) {
    if (!Number.isSafeInteger(anchor.seq) || anchor.seq < 0) throw fail('invalid_argument', 'a seq must be a non-negative integer', { field: 'seq' });
    return anchor.seq;
  }
  const m = await ctx.store.messages.get(anchor.id);
  if (!m || m.conversationId !== c.id) throw fail('message_not_found', `message ${anchor.id} is not in this conversation`, { messageId: anchor.id });
  return m.seq;
}
