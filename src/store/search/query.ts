// What both SQL search adapters share: the filters on the messages table and
// the scope (conversation, visible-from time) as a VALUES list joined to it.

import { sql, type RawBuilder } from 'kysely';
import type { IndexQuery } from '../../core/search/ports.ts';

/** `scope(cid, since) AS (…)`: the searcher's conversations, each from its visible time; undefined for `all`. */
export function scopeRows(q: IndexQuery): RawBuilder<unknown> | undefined {
  if (q.scope === 'all') return undefined;
  const rows = q.scope.map((s) => sql`(CAST(${s.conversationId} AS bigint), CAST(${s.sinceMs} AS bigint))`);
  return sql`scope(cid, since) AS (VALUES ${sql.join(rows)})`;
}

/** `WITH scope(cid, since)`: the scope table alone; empty for `all`. */
export function scopeTable(q: IndexQuery): RawBuilder<unknown> {
  const rows = scopeRows(q);
  return rows ? sql`WITH ${rows}` : sql``;
}

/** Joins `m` (messages) to the scope table. */
export function scopeJoin(q: IndexQuery): RawBuilder<unknown> {
  return q.scope === 'all' ? sql`` : sql`JOIN scope ON scope.cid = m.conversation_id AND m.created_at >= scope.since`;
}

/**
 * The filters every search applies to `m` (messages). `id` names the index's
 * own id column, so the paging bound reaches the index (FTS5 seeks by rowid).
 */
export function filters(q: IndexQuery, id: RawBuilder<unknown>): RawBuilder<unknown> {
  const parts = [sql`m.app_id = ${q.appId}`, sql`m.revoked_at IS NULL`];
  if (q.senderId !== undefined) parts.push(sql`m.sender_id = ${q.senderId}`);
  if (q.type !== undefined) parts.push(sql`m.type = ${q.type}`);
  if (q.fromMs !== undefined) parts.push(sql`m.created_at >= ${q.fromMs}`);
  if (q.toMs !== undefined) parts.push(sql`m.created_at <= ${q.toMs}`);
  if (q.order === 'newest' && q.beforeId !== undefined) parts.push(sql`${id} < ${q.beforeId}`);
  return sql.join(parts, sql` AND `);
}
