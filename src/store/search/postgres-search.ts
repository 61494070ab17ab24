// The search index on PostgreSQL: a tsvector per message, written as a
// literal (term:position) so no text-search parser or dictionary changes the
// terms core made, and queried with a literal tsquery: a clause is a phrase
// ('a' <-> 'b', adjacent terms in order), a prefix clause ends in :*, and
// clauses are ANDed. Same terms and positions as SQLite, so the same hits.

import { sql, type Kysely, type Selectable } from 'kysely';
import type { IndexQuery, SearchIndex } from '../../core/search/ports.ts';
import type { Clause } from '../../core/search/tokenize.ts';
import type { Database } from '../schema.ts';
import type { MessagesTable } from '../tables/messages.ts';
import { toMessageRecord } from '../repos/messages.ts';
import { filters, scopeJoin, scopeTable } from './query.ts';
import { FIRST_WALK, MAX_WALK, newestPage } from './postgres-newest.ts';

/** Rows per insert statement. */
const CHUNK = 256;
/** tsvector positions stop at 16383; later terms share the last position. */
const MAX_POSITION = 16_383;
const lexeme = (t: string) => `'${t.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;

export function vectorLiteral(terms: readonly string[]): string {
  return terms.map((t, i) => `${lexeme(t)}:${Math.min(i + 1, MAX_POSITION)}`).join(' ');
}

export function queryLiteral(clauses: readonly Clause[]): string {
  return clauses.map((c) => '(' + c.terms.map((t, i) => lexeme(t) + (c.prefix && i === c.terms.length - 1 ? ':*' : '')).join(' <-> ') + ')').join(' & ');
}

/**
 * The scope's conversations checked on the index row (migration 0018), so a
 * match in another conversation is dropped before its message is fetched;
 * the join to `scope` still applies each conversation's visible-from time.
 */
function inScope(q: IndexQuery) {
  return q.scope === 'all' ? sql`TRUE` : sql`s.conversation_id IN (${sql.join(q.scope.map((c) => sql`CAST(${c.conversationId} AS bigint)`))})`;
}

/** `walks`: index rows a newest-first search walks before its one query (postgres-newest.ts); shorter only in tests. */
export function postgresSearch(db: Kysely<Database>, walks = { first: FIRST_WALK, max: MAX_WALK }): SearchIndex {
  return {
    async put(docs) {
      for (let i = 0; i < docs.length; i += CHUNK) {
        const rows = docs.slice(i, i + CHUNK).map((d) => sql`(CAST(${d.messageId} AS bigint), CAST(${vectorLiteral(d.terms)} AS tsvector))`);
        // The conversation comes from the message row, written earlier in the same transaction.
        await sql`INSERT INTO message_search (message_id, conversation_id, terms)
          SELECT d.id, m.conversation_id, d.terms FROM (VALUES ${sql.join(rows)}) AS d(id, terms) JOIN messages m ON m.id = d.id
          ON CONFLICT (message_id) DO UPDATE SET terms = excluded.terms`.execute(db);
      }
    },
    async remove(ids) {
      if (ids.length === 0) return;
      await sql`DELETE FROM message_search WHERE message_id IN (${sql.join([...ids])})`.execute(db);
    },
    async query(q: IndexQuery) {
      const tsq = sql`CAST(${queryLiteral(q.clauses)} AS tsquery)`;
      // Newest first: a walk of the newest index rows, then this query below it (postgres-newest.ts).
      if (q.order === 'newest') return newestPage(db, q, tsq, inScope(q), walks);
      // By relevance every match is ranked anyway: one query, the GIN index.
      const r = await sql<Selectable<MessagesTable>>`
        ${scopeTable(q)}
        SELECT m.* FROM message_search s
        JOIN messages m ON m.id = s.message_id
        ${scopeJoin(q)}
        WHERE s.terms @@ ${tsq} AND ${inScope(q)} AND ${filters(q, sql`s.message_id`)}
        ORDER BY ts_rank(s.terms, ${tsq}) DESC, s.message_id DESC LIMIT ${q.limit} OFFSET ${q.offset ?? 0}`.execute(db);
      return r.rows.map(toMessageRecord);
    },
  };
}
