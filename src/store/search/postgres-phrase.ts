// A phrase on PostgreSQL, newest first. GIN keeps no positions, so `a <-> b`
// is answered by fetching every row holding both words and rechecking the
// positions in each tsvector, then sorting: for a common phrase at 1M messages
// that was ~36,000 heap rows for a page of 20 (bench/search/README.md). A
// phrase matches only where its AND (`a & b`) matches, so this walks the AND
// instead, newest first, in growing pages of candidates (scope checked on the
// index row), and checks the phrase on those candidates only — the same hits,
// in the same order, found after reading about as many rows as the page needs.

import { sql, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import type { IndexQuery } from '../../core/search/ports.ts';
import type { Clause } from '../../core/search/tokenize.ts';
import type { MessageRecord } from '../../core/messages/ports.ts';
import type { Database } from '../schema.ts';
import type { MessagesTable } from '../tables/messages.ts';
import { toMessageRecord } from '../repos/messages.ts';
import { filters, scopeJoin, scopeRows } from './query.ts';

/** Candidates in the first round; each further round reads GROWTH times more. */
const FIRST_ROUND = 64;
const GROWTH = 4;

/** Whether any clause is a phrase (more than one term): only those need positions. */
export const hasPhrase = (clauses: readonly Clause[]): boolean => clauses.some((c) => c.terms.length > 1);

/** Every clause's terms, ANDed: a row matching the phrase query matches this. */
export function andClauses(clauses: readonly Clause[]): Clause[] {
  return clauses.flatMap((c) => c.terms.map((t, i) => ({ terms: [t], prefix: c.prefix && i === c.terms.length - 1 })));
}

type Row = Selectable<MessagesTable> & { candidates: string | number; lowest: string | number | null };

/**
 * The newest `q.limit` messages below `q.beforeId` matching `phrase`, reading
 * candidates that match `all` (its AND) round by round. `inScope` is the scope
 * test on the index row `s`.
 */
export async function phrasePage(db: Kysely<Database>, q: IndexQuery, phrase: RawBuilder<unknown>, all: RawBuilder<unknown>, inScope: RawBuilder<unknown>): Promise<MessageRecord[]> {
  const found: MessageRecord[] = [];
  let below = q.beforeId;
  for (let k = FIRST_ROUND; ; k *= GROWTH) {
    const bound = below === undefined ? sql`TRUE` : sql`s.message_id < ${below}`;
    const scope = scopeRows(q);
    // MATERIALIZED: the candidates are read first, on their own plan (newest first, stop at k);
    // the phrase, the scope's times and the filters are then checked on those rows only.
    const r = await sql<Row>`
      WITH ${scope ? sql`${scope},` : sql``}
      candidate AS MATERIALIZED (
        SELECT s.message_id, s.terms FROM message_search s
        WHERE s.terms @@ ${all} AND ${inScope} AND ${bound}
        ORDER BY s.message_id DESC LIMIT ${k}
      ),
      round AS (SELECT count(*) AS candidates, min(message_id) AS lowest FROM candidate)
      SELECT hit.*, round.candidates, round.lowest FROM round
      LEFT JOIN LATERAL (
        SELECT m.* FROM candidate s
        JOIN messages m ON m.id = s.message_id
        ${scopeJoin(q)}
        WHERE s.terms @@ ${phrase} AND ${filters(q, sql`s.message_id`)}
        ORDER BY s.message_id DESC LIMIT ${q.limit - found.length}
      ) hit ON TRUE`.execute(db);
    for (const row of r.rows) if (row.id !== null) found.push(toMessageRecord(row));
    const { candidates, lowest } = r.rows[0];
    if (found.length >= q.limit || Number(candidates) < k || lowest === null) return found;
    below = Number(lowest);
  }
}
