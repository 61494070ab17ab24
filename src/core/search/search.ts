// Search: the messages matching a query that the searcher may read now. The
// scope is the same rule as history's (Conversations.scopeOf / GroupGate's
// readAccess): conversations the user is in today — so nothing after a leave
// or kick, as a former member reads none of it — each from the time the
// user may see it (groups that hide history from new members). Revoked
// messages are out of the index. An app admin searches the whole app.

import { decodeCursor, encodeCursor } from '../cursor.ts';
import { fail } from '../errors.ts';
import type { ConversationTarget, MessagingContext, Viewer } from '../messages/context.ts';
import { toMessage } from '../messages/conversations.ts';
import type { Conversation, Message, MessageTypeName } from '../messages/model.ts';
import { excerptOf, matchRanges, type Excerpt, type Range } from './highlight.ts';
import type { MessageRecord } from '../messages/ports.ts';
import type { ConversationScope, IndexQuery } from './ports.ts';
import { searchableText } from './searchable.ts';
import { parseQuery } from './tokenize.ts';

export interface SearchQuery {
  q: string;
  /** Only this conversation (a group, or the private chat with a user). */
  in?: ConversationTarget;
  senderId?: number;
  type?: MessageTypeName;
  /** created_at bounds, ms, inclusive. */
  from?: number;
  to?: number;
  /** newest (default): by time, newest first; relevance: best match first. */
  order?: 'newest' | 'relevance';
  limit?: number;
  /** From a previous page's `next`, with the same query and filters. */
  cursor?: string;
}

export interface SearchHit {
  message: Message;
  conversation: { id: number; kind: Conversation['kind']; groupId: number | null; peerId: number | null };
  /** The searchable text the ranges refer to (a text's text, a file's name…). */
  text: string;
  matches: Range[];
  excerpt: Excerpt;
}

export interface SearchPage {
  items: SearchHit[];
  next?: string;
}

/** Longest query accepted, in characters. */
export const MAX_QUERY_CHARS = 256;
/** Conversations one user search covers at most (newest activity first). */
const MAX_SCOPE = 10_000;

type Position = { b: number } | { k: number };
const isPosition = (v: unknown): v is Position => {
  const p = v as Record<string, unknown>;
  return typeof p === 'object' && p !== null && (Number.isSafeInteger(p.b) || Number.isSafeInteger(p.k)) && ((p.b as number) > 0 || (p.k as number) > 0);
};

export async function search(ctx: MessagingContext, appId: number, viewer: Viewer, q: SearchQuery): Promise<SearchPage> {
  if (typeof q.q !== 'string' || q.q.trim().length === 0) throw fail('invalid_argument', 'q must not be empty', { field: 'q' });
  if (q.q.length > MAX_QUERY_CHARS) throw fail('invalid_argument', `q is longer than ${MAX_QUERY_CHARS} characters`, { field: 'q' });
  const clauses = parseQuery(q.q);
  if (clauses.length === 0) throw fail('invalid_argument', 'q has no letters, digits or CJK characters to search for', { field: 'q' });
  const limit = q.limit ?? Math.min(20, ctx.settings.maxPage);
  if (!Number.isSafeInteger(limit) || limit < 1) throw fail('invalid_argument', 'limit must be a positive integer', { field: 'limit' });
  for (const [field, v] of [['from', q.from], ['to', q.to], ['senderId', q.senderId]] as const) {
    if (v !== undefined && (!Number.isSafeInteger(v) || v < 0)) throw fail('invalid_argument', `${field} must be a non-negative integer`, { field });
  }
  const order = q.order ?? 'newest';
  const position = q.cursor ? decodeCursor(q.cursor, isPosition) : undefined;

  const scope = await scopeOf(ctx, appId, viewer, q.in);
  if (scope !== 'all' && scope.length === 0) return { items: [] };
  const query: IndexQuery = {
    appId,
    clauses,
    scope,
    order,
    limit: Math.min(limit, ctx.settings.maxPage) + 1,
    ...(q.senderId !== undefined ? { senderId: q.senderId } : {}),
    ...(q.type !== undefined ? { type: q.type } : {}),
    ...(q.from !== undefined ? { fromMs: q.from } : {}),
    ...(q.to !== undefined ? { toMs: q.to } : {}),
    ...(position && 'b' in position ? { beforeId: position.b } : {}),
    ...(position && 'k' in position ? { offset: position.k } : {}),
  };
  const found = await ctx.store.search.query(query);
  const more = found.length >= query.limit;
  const page = more ? found.slice(0, query.limit - 1) : found;
  const items = await hitsOf(ctx, viewer, page, clauses);
  if (!more) return { items };
  const next = order === 'newest' ? { b: page[page.length - 1].id } : { k: (position && 'k' in position ? position.k : 0) + page.length };
  return { items, next: encodeCursor(next) };
}

/** The conversations `viewer` may search, and from when; `all` for an app admin without a conversation. */
async function scopeOf(ctx: MessagingContext, appId: number, viewer: Viewer, target: ConversationTarget | undefined): Promise<ConversationScope[] | 'all'> {
  if (target) {
    // History's own check: fails unless the viewer may read the conversation.
    const s = await ctx.conversations.scopeOf(appId, viewer, target);
    return s.conversation ? [{ conversationId: s.conversation.id, sinceMs: s.sinceMs }] : [];
  }
  if (viewer === null) return 'all';
  const groupIds = await ctx.gate.groupIdsOf(appId, viewer);
  const conversations = await ctx.store.conversations.listForUser(appId, viewer, groupIds, MAX_SCOPE);
  return Promise.all(
    conversations.map(async (c) => {
      const s = await ctx.conversations.scopeOfConversation(appId, viewer, c);
      return { conversationId: c.id, sinceMs: s.sinceMs };
    }),
  );
}

async function hitsOf(ctx: MessagingContext, viewer: Viewer, records: readonly MessageRecord[], clauses: ReturnType<typeof parseQuery>): Promise<SearchHit[]> {
  const conversations = new Map((await ctx.store.conversations.getMany([...new Set(records.map((r) => r.conversationId))])).map((c) => [c.id, c]));
  const hits: SearchHit[] = [];
  for (const r of records) {
    const c = conversations.get(r.conversationId);
    // The index's read skips revoked rows; this keeps a revoked record out whatever an adapter returns.
    if (!c || r.revokedAt !== null) continue;
    const message = toMessage(r, c);
    const text = searchableText(r.type, r.body);
    const matches = matchRanges(text, clauses);
    hits.push({
      message,
      conversation: { id: c.id, kind: c.kind, groupId: c.groupId, peerId: peerOf(c, viewer) },
      text,
      matches,
      excerpt: excerptOf(text, matches),
    });
  }
  return hits;
}

/** A private conversation's other user, seen from the viewer (null for groups and for an app admin). */
function peerOf(c: Conversation, viewer: Viewer): number | null {
  if (c.kind !== 'private' || viewer === null) return null;
  return viewer === c.userA ? c.userB : c.userA;
}
