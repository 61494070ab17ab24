// A phrase on PostgreSQL, newest first. GIN keeps no positions, so the plan
// PostgreSQL picks for `a <-> b` fetches every row holding both words,
// rechecks the positions in each tsvector and sorts: for a common phrase at
// 1M messages, ~36,000 heap rows for a page of 20 (bench/search/README.md).
// Asking for the AND (`a & b`) first does not help: its estimate is as low
// (546 rows for 3,620 at 100k), so it takes the same bitmap.
//
// So a phrase first walks the index rows newest first (the primary key
// backwards) and checks scope and positions on each, stopping when the page
// is full: a common phrase fills a page within a few thousand rows. A rare one
// would make that walk read the whole table, so the first FIRST_WALK rows
// decide: if their hits say the page fills within MAX_WALK rows, the walk goes
// on that far; otherwise (and if it still falls short) the GIN index answers
// for the rows below the walk, at the cost of the phrase's matches, which are
// then few. The same hits in the same order as one query: the walk sees every
// row in its range, the index every row below it.

import { sql, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import type { IndexQuery } from '../../core/search/ports.ts';
import type { Clause } from '../../core/search/tokenize.ts';
import type { MessageRecord } from '../../core/messages/ports.ts';
import type { Database } from '../schema.ts';
import type { MessagesTable } from '../tables/messages.ts';
import { toMessageRecord } from '../repos/messages.ts';
import { filters, scopeJoin, scopeRows, scopeTable } from './query.ts';

/** Index rows every phrase walks (~0.3 µs each, warm): its hits decide the rest. */
export const FIRST_WALK = 2_048;
/** Index rows a phrase walks at most before the GIN index answers for the rest. */
export const MAX_WALK = 32_768;

/** Whether any clause is a phrase (more than one term): only those need positions. */
export const hasPhrase = (clauses: readonly Clause[]): boolean => clauses.some((c) => c.terms.length > 1);

/**
 * The newest `q.limit` messages below `q.beforeId` matching `tsq`. `inScope`
 * is the scope's test on the index row `s`; `walks` the two walk lengths.
 */
export async function phrasePage(db: Kysely<Database>, q: IndexQuery, tsq: RawBuilder<unknown>, inScope: RawBuilder<unknown>, walks = { first: FIRST_WALK, max: MAX_WALK }): Promise<MessageRecord[]> {
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

  // The walk saw every match in its range. Below it: its lowest row, or below its lowest hit if
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
