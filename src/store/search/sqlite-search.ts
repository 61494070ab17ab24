// The search index on SQLite: FTS5 over the terms core made (rowid = message
// id). A clause is an FTS5 phrase ("a" + "b", adjacent terms in order), a
// prefix clause ends in *, and clauses are ANDed.

import { sql, type Kysely, type Selectable } from 'kysely';
import type { IndexQuery, SearchIndex } from '../../core/search/ports.ts';
import type { Clause } from '../../core/search/tokenize.ts';
import type { Database } from '../schema.ts';
import type { MessagesTable } from '../tables/messages.ts';
import { toMessageRecord } from '../repos/messages.ts';
import { filters, scopeJoin, scopeTable } from './query.ts';

/** Rows per insert statement (2 parameters each, far below SQLite's limit). */
const CHUNK = 256;
const quote = (t: string) => `"${t.replaceAll('"', '""')}"`;

/** A prefix covering more terms than this stays an FTS5 prefix query. */
const MAX_EXPANSION = 64;
/** The highest code point: `prefix + TOP` bounds every term that starts with prefix. */
const TOP = '\u{10FFFF}';

/**
 * The FTS5 expression of the clauses. FTS5 answers a prefix (`"camp"*`) by
 * merging the doclists of every term it covers before yielding a row, so its
 * cost grows with all matches in the app; an OR of the covered terms instead
 * streams newest first and stops at the page's limit. So a prefix is expanded
 * through the index's vocabulary when it covers at most MAX_EXPANSION terms —
 * the same rows either way.
 */
async function matchExpression(db: Kysely<Database>, clauses: readonly Clause[]): Promise<string> {
  const parts: string[] = [];
  for (const c of clauses) {
    const quoted = c.terms.map(quote);
    if (!c.prefix) {
      parts.push(quoted.join(' + '));
      continue;
    }
    const last = c.terms[c.terms.length - 1];
    const r = await sql<{ term: string }>`SELECT term FROM message_search_terms WHERE term >= ${last} AND term < ${last + TOP} LIMIT ${MAX_EXPANSION + 1}`.execute(db);
    const head = quoted.slice(0, -1);
    if (r.rows.length === 0 || r.rows.length > MAX_EXPANSION) parts.push(quoted.join(' + ') + '*');
    else parts.push('(' + r.rows.map((row) => [...head, quote(row.term)].join(' + ')).join(' OR ') + ')');
  }
  return parts.join(' AND ');
}

export function sqliteSearch(db: Kysely<Database>): SearchIndex {
  return {
    async put(docs) {
      for (let i = 0; i < docs.length; i += CHUNK) {
        const rows = docs.slice(i, i + CHUNK).map((d) => sql`(${d.messageId}, ${d.terms.join(' ')})`);
        await sql`INSERT OR REPLACE INTO message_search (rowid, terms) VALUES ${sql.join(rows)}`.execute(db);
      }
    },
    async remove(ids) {
      for (const id of ids) await sql`DELETE FROM message_search WHERE rowid = ${id}`.execute(db);
    },
    async query(q: IndexQuery) {
      // By the FTS rowid (= message id), not m.id: FTS5 then yields matches newest
      // first and stops at the limit instead of sorting every match (0.7 vs 14 ms at 100k).
      const order = q.order === 'relevance' ? sql`ORDER BY f.rank, f.rowid DESC LIMIT ${q.limit} OFFSET ${q.offset ?? 0}` : sql`ORDER BY f.rowid DESC LIMIT ${q.limit}`;
      const r = await sql<Selectable<MessagesTable>>`
        ${scopeTable(q)}
        SELECT m.* FROM message_search f
        JOIN messages m ON m.id = f.rowid
        ${scopeJoin(q)}
        WHERE message_search MATCH ${await matchExpression(db, q.clauses)} AND ${filters(q, sql`f.rowid`)}
        ${order}`.execute(db);
      return r.rows.map(toMessageRecord);
    },
  };
}
