// Sync for multi-device: every change (new messages, notices, revokes) after
// a position, across all of the user's conversations, in stream order. The
// position is the stream's. Several writers may commit out of position
// order, so a read goes no further than the stream's watermark (read first:
// everything at or below it is committed, see MessageRepo.streamHead): a
// client that stores the returned `position` and asks again never misses a
// change, even with several processes.

import { fail } from '../errors.ts';
import type { MessagingContext } from './context.ts';
import { toMessage } from './conversations.ts';
import type { Conversation, Message } from './model.ts';
import type { MessageRecord } from './ports.ts';
import { withReplies } from './replies.ts';

export interface SyncQuery {
  /** The `position` of the previous sync; 0 (default) for everything. */
  since?: number;
  limit?: number;
}

export interface SyncPage {
  items: Message[];
  /** Pass as `since` next time. */
  position: number;
  /** More changes are waiting: call again at once. */
  more: boolean;
}

export async function sync(ctx: MessagingContext, appId: number, userId: number, q: SyncQuery): Promise<SyncPage> {
  const since = q.since ?? 0;
  if (!Number.isSafeInteger(since) || since < 0) throw fail('invalid_argument', 'since must be a non-negative integer', { field: 'since' });
  const limit = Math.min(q.limit ?? 100, ctx.settings.maxPage);
  if (!Number.isSafeInteger(limit) || limit < 1) throw fail('invalid_argument', 'limit must be a positive integer', { field: 'limit' });

  const read = await changes(ctx, appId, userId, since, limit + 1, 'asc');
  if (!read) return { items: [], position: since, more: false };
  const more = read.rows.length > limit;
  const page = more ? read.rows.slice(0, limit) : read.rows;
  return { items: await visible(ctx, appId, userId, page, read.byId), position: page.length ? page[page.length - 1].pos : since, more };
}

/** The largest tail a caller may ask for. */
const MAX_TAIL = 10_000;

export interface SyncTail {
  /** The newest `limit` changes after `since`, in stream order. */
  items: Message[];
  /** Older changes after `since` were left out: everything between `since` and `first` is the client's to page. */
  skipped: boolean;
  /** Position of the first change returned (`position` when none). */
  first: number;
  /** Pass as `since` next time. */
  position: number;
}

/**
 * The newest `limit` changes after `since`, for a device that is pushed what
 * it missed (a dtalk phone's replay) and pages anything older itself.
 */
export async function syncTail(ctx: MessagingContext, appId: number, userId: number, since: number, limit: number): Promise<SyncTail> {
  if (!Number.isSafeInteger(since) || since < 0) throw fail('invalid_argument', 'since must be a non-negative integer', { field: 'since' });
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_TAIL) throw fail('invalid_argument', `limit must be an integer from 1 to ${MAX_TAIL}`, { field: 'limit' });
  const read = await changes(ctx, appId, userId, since, limit + 1, 'desc');
  if (!read) return { items: [], skipped: false, first: since, position: since };
  const skipped = read.rows.length > limit;
  const page = (skipped ? read.rows.slice(0, limit) : read.rows).reverse();
  const position = page.length ? page[page.length - 1].pos : since;
  return { items: await visible(ctx, appId, userId, page, read.byId), skipped, first: page.length ? page[0].pos : position, position };
}

async function changes(ctx: MessagingContext, appId: number, userId: number, since: number, limit: number, order: 'asc' | 'desc') {
  const upTo = await ctx.store.messages.streamHead();
  if (upTo <= since) return undefined;
  const groupIds = await ctx.gate.groupIdsOf(appId, userId);
  const changed = await ctx.store.conversations.changedSince(appId, userId, groupIds, since);
  if (changed.length === 0) return undefined;
  const byId = new Map<number, Conversation>(changed.map((c) => [c.id, c]));
  return { byId, rows: await ctx.store.messages.changedSince([...byId.keys()], since, upTo, limit, order) };
}

/** New members of groups that hide earlier history do not get it here either. */
async function visible(ctx: MessagingContext, appId: number, userId: number, page: readonly MessageRecord[], byId: ReadonlyMap<number, Conversation>): Promise<Message[]> {
  const visibleSince = new Map<number, number>();
  for (const id of new Set(page.map((r) => r.conversationId))) {
    const c = byId.get(id) as Conversation;
    if (c.kind === 'group') visibleSince.set(c.id, (await ctx.gate.readAccess(appId, c.groupId as number, userId)).visibleSinceMs);
  }
  const sinceOf = (conversationId: number) => visibleSince.get(conversationId) ?? 0;
  const items = page.filter((r) => r.createdAt >= sinceOf(r.conversationId)).map((r) => toMessage(r, byId.get(r.conversationId) as Conversation));
  return withReplies(ctx, items, sinceOf);
}
