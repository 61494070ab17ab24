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
import { withReplies } from './replies.ts';

/**
 * A point in a conversation: a seq, or a message id. An id that names no
 * message of this conversation bounds by id value instead (ids grow with
 * time), so a dialect may pass any id its client holds (xim `minId`).
 */
export type Anchor = { seq: number } | { id: number };

export interface HistoryQuery {
  /** Only messages before this anchor (exclusive). */
  before?: Anchor;
  /** Only messages after this anchor (exclusive). */
  after?: Anchor;
  /** desc: the newest of the window first (default unless only `after` is given); asc: the oldest first. */
  order?: 'asc' | 'desc';
  limit?: number;
  /** Only messages created after this time, ms, exclusive (legacy `lastTime`). */
  afterTime?: number;
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

/** A page's window: seqs a < seq < b, ids ia < id < ib (0 = unbounded), created at or after t. */
interface Window {
  a: number;
  b: number;
  o: 'asc' | 'desc';
  ia?: number;
  ib?: number;
  t?: number;
}
const optInt = (v: unknown) => v === undefined || (Number.isSafeInteger(v) && (v as number) >= 0);
const isWindow = (v: unknown): v is Window => {
  const w = v as Window;
  return typeof w === 'object' && w !== null && Number.isSafeInteger(w.a) && Number.isSafeInteger(w.b) && (w.o === 'asc' || w.o === 'desc') && optInt(w.ia) && optInt(w.ib) && optInt(w.t);
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
  const rows = await ctx.store.messages.page({
    conversationId: conversation.id,
    afterSeq: w.a,
    beforeSeq: w.b,
    sinceMs: Math.max(scope.sinceMs, w.t ?? 0),
    ...(w.ia ? { idAbove: w.ia } : {}),
    ...(w.ib ? { idBelow: w.ib } : {}),
    order: w.o,
    limit: limit + 1,
  });
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  let items: HistoryItem[] = await withReplies(ctx, page.map((r) => toMessage(r, conversation)), () => scope.sinceMs);
  if (scope.group?.readReceipts && items.length > 0) {
    const counts = await readCounts(ctx, conversation, items);
    items = items.map((m, i) => ({ ...m, readCount: counts[i] }));
  }
  const last = page[page.length - 1];
  const next = more ? encodeCursor(w.o === 'desc' ? { ...w, b: last.seq } : { ...w, a: last.seq }) : undefined;
  return { items, more, ...(next ? { next } : {}), lastSeq: conversation.lastSeq, conversationId: conversation.id };
}

function clampLimit(limit: number | undefined, max: number): number {
  if (limit === undefined) return Math.min(50, max);
  if (!Number.isSafeInteger(limit) || limit < 1) throw fail('invalid_argument', 'limit must be a positive integer', { field: 'limit' });
  return Math.min(limit, max);
}

async function windowOf(ctx: MessagingContext, c: Conversation, q: HistoryQuery): Promise<Window> {
  const after = q.after ? await boundOf(ctx, c, q.after) : undefined;
  const before = q.before ? await boundOf(ctx, c, q.before) : undefined;
  const o = q.order ?? (q.after && !q.before ? 'asc' : 'desc');
  if (q.afterTime !== undefined && (!Number.isSafeInteger(q.afterTime) || q.afterTime < 0)) throw fail('invalid_argument', 'afterTime must be a time in ms', { field: 'afterTime' });
  const w: Window = { a: after?.seq ?? 0, b: before?.seq ?? UNBOUNDED, o };
  if (after?.id) w.ia = after.id;
  if (before?.id) w.ib = before.id;
  if (q.afterTime !== undefined) w.t = q.afterTime + 1;
  return w;
}

/** A seq bound, or — for an id that names no message of this conversation — an id-value bound. */
async function boundOf(ctx: MessagingContext, c: Conversation, anchor: Anchor): Promise<{ seq?: number; id?: number }> {
  if ('seq' in anchor) {
    if (!Number.isSafeInteger(anchor.seq) || anchor.seq < 0) throw fail('invalid_argument', 'a seq must be a non-negative integer', { field: 'seq' });
    return { seq: anchor.seq };
  }
  if (!Number.isSafeInteger(anchor.id) || anchor.id < 1) throw fail('invalid_argument', 'a message id must be a positive integer', { field: 'id' });
  const m = await ctx.store.messages.get(anchor.id);
  return m && m.conversationId === c.id ? { seq: m.seq } : { id: anchor.id };
}
