// Sync for multi-device: every change (new messages, notices, revokes) after
// a position, across all of the user's conversations, in stream order. The
// position is the stream's: every message write takes it in commit order
// (see MessageRepo.append), so a client that stores the returned `position`
// and asks again never misses a change, even with several processes.

import { fail } from '../errors.ts';
import type { MessagingContext } from './context.ts';
import { toMessage } from './conversations.ts';
import type { Conversation, Message } from './model.ts';

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

  const groupIds = await ctx.gate.groupIdsOf(appId, userId);
  const changed = await ctx.store.conversations.changedSince(appId, userId, groupIds, since);
  if (changed.length === 0) return { items: [], position: since, more: false };
  const byId = new Map<number, Conversation>(changed.map((c) => [c.id, c]));
  const rows = await ctx.store.messages.changedSince([...byId.keys()], since, limit + 1);
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;

  // New members of groups that hide earlier history do not get it here either.
  const visibleSince = new Map<number, number>();
  for (const id of new Set(page.map((r) => r.conversationId))) {
    const c = byId.get(id) as Conversation;
    if (c.kind === 'group') visibleSince.set(c.id, (await ctx.gate.readAccess(appId, c.groupId as number, userId)).visibleSinceMs);
  }
  const items = page
    .filter((r) => r.createdAt >= (visibleSince.get(r.conversationId) ?? 0))
    .map((r) => toMessage(r, byId.get(r.conversationId) as Conversation));
  return { items, position: page.length ? page[page.length - 1].pos : since, more };
}
