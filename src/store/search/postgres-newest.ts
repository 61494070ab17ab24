// Newest first on PostgreSQL: a walk of the newest index rows, then the one
// query. The one query (`s.terms @@ q … ORDER BY message_id DESC LIMIT n`)
// leaves the plan to PostgreSQL, and its choices measured badly at the
// benchmark's sizes (bench/search/README.md): a phrase took the GIN bitmap
// (GIN keeps no positions: every row holding both words fetched, rechecked
// and sorted, ~36,000 heap rows at 1M for a page of 20, 300-500 ms); a word
// at 100k was driven from a scan of `messages` (60 ms); at 1M a parallel
// walk waited ~20 ms for its workers. Asking for a phrase's AND (`a & b`)
// first took the same GIN bitmap at 100k, and a parallel walk at 1M (42 ms).
//
// So a search first walks the index rows newest first (the primary key
// backwards) and checks scope and terms on each, stopping when the page is
// full: a common word or phrase fills a page within a few thousand rows. A
// rare one would make that walk read the whole table, so the first FIRST_WALK
// rows decide: if their hits say the page fills within MAX_WALK rows, the walk
// goes on that far; otherwise (and if it still falls short) the one query
// answers for the rows below the walk, with whatever plan PostgreSQL picks
// (for a rare term, the GIN index: its cost is the term's few matches). The
// same hits in the same order as the one query: the walk sees every row in its
// range, the one query every row below it.

import { sql, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import type { IndexQuery } from '../../core/search/ports.ts';
import type { MessageRecord } from '../../core/messages/ports.ts';
import type { Database } from '../schema.ts';
import type { MessagesTable } from '../tables/messages.ts';
import { toMessageRecord } from '../repos/messages.ts';
import { filters, scopeJoin, scopeRows, scopeTable } from './query.ts';

/** Index rows every newest-first search walks (~0.4 µs each, warm: 7,017 rows in 2.9 ms at 1M): their hits decide the rest. */
export const FIRST_WALK = 2_048;
/** Index rows a search walks at most before the one query answers for the rest. */
export const MAX_WALK = 32_768;

/**
 * The newest `q.limit` messages below `q.beforeId` matching `tsq`. `inScope`
 * is the scope's test on the index row `s`; `walks` the two walk lengths.
 */
export async function newestPage(db: Kysely<Database>, q: IndexQuery, tsq: RawBuilder<unknown>, inScope: RawBuilder<unknown>, walks = { first: FIRST_WALK, max: MAX_WALK }): Promise<MessageRecord[]> {
  const below = q.beforeId === undefined ? sql`TRUE` : sql`s.message_id < ${q.beforeId}`;
  const scope = scopeRows(q);
  // A per-row subquery rather than a join to `scope`: a join would end the plan in a sort, which
  // reads the whole walk; this keeps it a pipeline that stops at the page's last hit.
  const since = scope ? sql`m.created_at >= (SELECT min(scope.since) FROM scope WHERE scope.cid = m.conversation_id)` : sql`TRUE`;
  /** The hits among the newest `rows` index rows (below the cursor). */
  const walk = async (rows: number) => {
    // ts_match_vq is `@@` as a function: the same test, which the planner cannot send to the GIN index.
    const r = await sql<Selectable<MessagesTable>>`
      ${scope ? sql`WITH ${scope}` : sql``}
      SELECT m.* FROM (
        SELECT s.message_id, s.conversation_id, s.terms FROM message_search s
        WHERE ${below} ORDER BY s.message_id DESC LIMIT ${rows}
      ) s
      JOIN messages m ON m.id = s.message_id
      WHERE ${inScope} AND ts_match_vq(s.terms, ${tsq}) AND ${since} AND ${filters(q, sql`s.message_id`)}
      ORDER BY s.message_id DESC LIMIT ${q.limit}`.execute(db);
    return r.rows.map(toMessageRecord);
  };

  let walked = walks.first;
  let found = await walk(walked);
  if (found.length >= q.limit) return found;
  // At the first rows' hit rate, would the page fill within the longest walk?
  if (found.length > 0 && (q.limit * walks.first) / found.length <= walks.max) {
    walked = walks.max;
    found = await walk(walked);
    if (found.length >= q.limit) return found;
  }

  // The one query, below the walk. The walk saw every match in its range: below its lowest row, or its lowest hit if
  // messages arrived since (the range then starts higher; the walk already has the hits in it).
  const walkedRange = sql`(SELECT min(w.message_id) FROM (SELECT s.message_id FROM message_search s WHERE ${below} ORDER BY s.message_id DESC LIMIT ${walked}) w)`;
  const end = found.length > 0 ? sql`LEAST(${walkedRange}, ${found[found.length - 1].id})` : walkedRange;
  const rest = await sql<Selectable<MessagesTable>>`
    ${scopeTable(q)}
    SELECT m.* FROM message_search s
    JOIN messages m ON m.id = s.message_id
    ${scopeJoin(q)}
    WHERE s.terms @@ ${tsq} AND ${inScope} AND s.message_id < ${end} AND ${filters(q, sql`s.message_id`)}
    ORDER BY s.message_id DESC LIMIT ${q.limit - found.length}`.execute(db);
  return [...found, ...rest.rows.map(toMessageRecord)];
}
