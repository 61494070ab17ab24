// Newest-first search on PostgreSQL, SQL time only (issue 16): the adapter's
// path (a walk of the newest index rows, then the one query below it:
// postgres-newest.ts) against the one query it replaced, alternated,
// on a store kept by search.ts (BENCH_KEEP). Every round checks that both
// return the same messages in the same order. The searcher's scope is its 100
// groups from time 0 (it joined them before any message was sent), or the
// first CONVERSATIONS of them (CONVERSATIONS=1: a search in one group).
//
//   BENCH_KEEP=bsk STORE=1000000 DATABASE_URL=postgres://postgres@127.0.0.1:5432/test \
//     node --disable-warning=ExperimentalWarning bench/search/newest-sql.ts

import { sql, type Selectable } from 'kysely';
import { openEngine } from '../../src/store/open.ts';
import { postgresSearch, queryLiteral } from '../../src/store/search/postgres-search.ts';
import { filters, scopeJoin, scopeTable } from '../../src/store/search/query.ts';
import { parseQuery } from '../../src/core/search/tokenize.ts';
import type { IndexQuery } from '../../src/core/search/ports.ts';
import type { MessagesTable } from '../../src/store/tables/messages.ts';
import { loadAverage } from '../support.ts';

const STORE = Number(process.env.STORE ?? 1_000_000);
const ROUNDS = Number(process.env.ROUNDS ?? 40);
const keep = process.env.BENCH_KEEP ?? 'bsk';
if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL must point at PostgreSQL');
/** search.ts's four, then a rarer set phrase, words that meet by chance, a CJK run (a phrase of bigrams), no match at all. */
const QUERIES = (process.env.QUERIES ?? '周末|meeting|prob|"next week"|"as soon as possible"|"coffee office"|周末去|"budget zebra"').split('|');

const url = new URL(process.env.DATABASE_URL);
url.searchParams.set('options', `-c search_path=${keep}_${STORE}`);
const engine = openEngine({ databaseUrl: url.toString(), dataDir: '', poolSize: 1 });
const db = engine.db;
const record = (await sql<{ record: { groupIds: number[] } }>`SELECT record FROM bench_seed`.execute(db)).rows[0].record;
const conversations = (await sql<{ id: number }>`SELECT id FROM conversations WHERE group_id IN (${sql.join(record.groupIds)}) ORDER BY id`.execute(db)).rows.slice(0, Number(process.env.CONVERSATIONS ?? 100));
const appId = (await sql<{ app_id: number }>`SELECT app_id FROM messages LIMIT 1`.execute(db)).rows[0].app_id;
const index = postgresSearch(db);

/** The query every newest-first search ran as before: one statement, its plan left to PostgreSQL. */
async function oneQuery(q: IndexQuery): Promise<number[]> {
  const tsq = sql`CAST(${queryLiteral(q.clauses)} AS tsquery)`;
  const inScope = q.scope === 'all' ? sql`TRUE` : sql`s.conversation_id IN (${sql.join(q.scope.map((c) => sql`CAST(${c.conversationId} AS bigint)`))})`;
  const r = await sql<Selectable<MessagesTable>>`
    ${scopeTable(q)}
    SELECT m.* FROM message_search s JOIN messages m ON m.id = s.message_id ${scopeJoin(q)}
    WHERE s.terms @@ ${tsq} AND ${inScope} AND ${filters(q, sql`s.message_id`)}
    ORDER BY s.message_id DESC LIMIT ${q.limit}`.execute(db);
  return r.rows.map((m) => Number(m.id));
}

const pct = (xs: number[], p: number) => +[...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))].toFixed(2);
const summary = (xs: number[]) => ({ p50: pct(xs, 50), p95: pct(xs, 95), p99: pct(xs, 99) });
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

const rows = [];
for (const query of QUERIES) {
  const q: IndexQuery = { appId, clauses: parseQuery(query), scope: conversations.map((c) => ({ conversationId: Number(c.id), sinceMs: 0 })), order: 'newest', limit: 21 };
  const before: number[] = [];
  const after: number[] = [];
  let hits = 0;
  for (let i = 0; i < ROUNDS + 3; i++) {
    let t0 = process.hrtime.bigint();
    const old = await oneQuery(q);
    const tOld = ms(t0);
    t0 = process.hrtime.bigint();
    const now = (await index.query(q)).map((m) => Number(m.id));
    const tNew = ms(t0);
    if (JSON.stringify(old) !== JSON.stringify(now)) throw new Error(`${query}: the walk found ${JSON.stringify(now)}, one query ${JSON.stringify(old)}`);
    hits = now.length;
    if (i < 3) continue; // warm-up
    before.push(tOld);
    after.push(tNew);
  }
  const row = { query, hits, oneQuery: summary(before), walkThenQuery: summary(after), loadAverage: loadAverage() };
  console.error(JSON.stringify(row));
  rows.push(row);
}
await engine.close();
console.log(JSON.stringify({ store: STORE, conversations: conversations.length, rounds: ROUNDS, at: new Date().toISOString(), rows }, null, 2));
