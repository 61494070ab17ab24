// A Parley server for the search benchmark, in its own process. With
// BENCH_SEED=<n> it first stores n messages (bench/search/corpus.ts) in 1,000
// groups through the real write path (MessageRepo.append plus
// SearchIndex.put in one transaction, as the group commit does; 2,000
// messages per transaction), then prints one JSON line {url, searcher,
// groupIds, seconds, sizes}. The searcher is a member of 100 of the groups.
// SQLite by default (a fresh data directory); DATABASE_URL=postgres://… for
// PostgreSQL (a fresh schema named by BENCH_PG_SCHEMA).
//
// BENCH_KEEP=<name> keeps the seeded store for the next run instead of a
// fresh one: the SQLite directory <tmpdir>/<name>-<n>, or the PostgreSQL
// schema <name>_<n>. A run that finds a complete seed of n messages there
// (its record is written last) serves it as it is; otherwise it seeds anew.
// So a 1M store is seeded once, outside a measurement, and measured often.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../../src/config.ts';
import { startServer } from '../../src/server.ts';
import type { Appendable } from '../../src/core/messages/ports.ts';
import { documentsOf } from '../../src/core/search/searchable.ts';
import { random, textOf } from './corpus.ts';

const GROUPS = 1000;
const SEARCHER_GROUPS = 100;
const BATCH = 2000;

const seed = Number(process.env.BENCH_SEED ?? 0);
const keep = process.env.BENCH_KEEP;
if (keep !== undefined && !/^[a-z][a-z0-9_]{0,40}$/.test(keep)) throw new Error('BENCH_KEEP must be a lowercase name (letters, digits, _)');

/** What a kept store records of its seed, so a later run can serve it without seeding. */
interface SeedRecord {
  searcherId: number;
  groupIds: number[];
  seed: number;
  seedSeconds: number;
  indexBytes: number;
  messageBytes: number;
}

let databaseUrl: string | undefined;
let kept: SeedRecord | undefined;
if (process.env.DATABASE_URL) {
  const schema = keep ? `${keep}_${seed}` : (process.env.BENCH_PG_SCHEMA ?? `bench_search_${Date.now()}`);
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  if (keep) {
    const r = await admin.query(`SELECT to_regclass('${schema}.bench_seed') IS NOT NULL AS found`);
    if (r.rows[0].found) kept = (await admin.query(`SELECT record FROM ${schema}.bench_seed`)).rows[0]?.record as SeedRecord | undefined;
  }
  if (!kept) {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.query(`CREATE SCHEMA ${schema}`);
  }
  await admin.end();
  const u = new URL(process.env.DATABASE_URL);
  u.searchParams.set('options', `-c search_path=${schema}`);
  databaseUrl = u.toString();
}
let dataDir: string;
if (keep && !databaseUrl) {
  dataDir = join(tmpdir(), `${keep}-${seed}`);
  const record = join(dataDir, 'bench-seed.json');
  if (existsSync(record)) kept = JSON.parse(readFileSync(record, 'utf8')) as SeedRecord;
  else rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
} else dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-search-'));
const config = loadConfig({ env: {}, overrides: { host: '127.0.0.1', port: 0, logLevel: 'silent', dataDir, docs: false, ...(databaseUrl ? { databaseUrl } : {}) } });
const server = await startServer(config);
const { core } = server;
const app = await core.apps.defaultApp();
if (!app) throw new Error('no default app');
const appId = app.id;

if (kept) {
  const token = (await core.tokens.issue({ appId, kind: 'user', userId: kept.searcherId })).token;
  process.stderr.write(`serving the kept seed of ${kept.seed} messages\n`);
  process.stdout.write(JSON.stringify({ url: server.url, token, ...kept, kept: true }) + '\n');
  process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
} else await seedAndServe();

async function seedAndServe(): Promise<void> {
  const users = [];
  for (let i = 0; i < 20; i++) users.push(await core.users.create(appId, { handle: `s${i}` }));
  const searcher = users[0];
  const token = (await core.tokens.issue({ appId, kind: 'user', userId: searcher.id })).token;
  const groupIds: number[] = [];
  const conversations: number[] = [];
  for (let g = 0; g < GROUPS; g++) {
    const owner = users[1 + (g % 19)];
    const members = users.filter((u) => u !== owner && (u !== searcher || g < SEARCHER_GROUPS)).map((u) => u.id);
    const { group } = await core.groups.lifecycle.create({ appId, userId: owner.id, appAdmin: false }, { name: `g${g}`, memberIds: members });
    groupIds.push(group.id);
    conversations.push((await core.store.conversations.ensureGroup(appId, group.id, core.ids.next(), core.clock.now())).id);
  }

  const started = Date.now();
  const rnd = random(16);
  for (let n = 0; n < seed; ) {
    const batch: Appendable[] = [];
    for (let k = 0; k < BATCH && n < seed; k++, n++) {
      const c = conversations[Math.floor(rnd() * GROUPS)];
      batch.push({ id: core.ids.next(), appId, conversationId: c, senderId: users[1 + (n % 19)].id, clientId: null, type: 'text', body: { text: textOf(n, rnd) }, ext: null, createdAt: core.clock.now() }); // after the groups were made: members see them
    }
    await core.store.transaction(async (tx) => {
      const outcomes = await tx.messages.append(batch);
      await tx.search.put(documentsOf(outcomes));
    });
    if (n % 100_000 === 0) process.stderr.write(`seeded ${n} in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  }
  const seconds = (Date.now() - started) / 1000;

  // Index size: SQLite's dbstat over the FTS5 shadow tables; PostgreSQL's relation sizes.
  let indexBytes = 0;
  let messageBytes = 0;
  if (databaseUrl) {
    const c = new pg.Client({ connectionString: databaseUrl });
    await c.connect();
    // This schema's tables only: a bare ANALYZE would walk every schema in the database, other runs' kept stores too.
    const tables = (await c.query("SELECT string_agg(quote_ident(tablename), ', ') AS t FROM pg_tables WHERE schemaname = current_schema()")).rows[0].t as string;
    await c.query(`ANALYZE ${tables}`);
    indexBytes = Number((await c.query(`SELECT pg_total_relation_size('message_search') AS n`)).rows[0].n);
    messageBytes = Number((await c.query(`SELECT pg_total_relation_size('messages') AS n`)).rows[0].n);
    await c.end();
  } else {
    const { DatabaseSync } = await import('node:sqlite');
    const d = new DatabaseSync(join(dataDir, 'parley.db'));
    d.exec('PRAGMA busy_timeout = 60000');
    d.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    d.exec("INSERT INTO message_search(message_search) VALUES ('optimize')");
    d.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    const sizeOf = (like: string) => Number((d.prepare(`SELECT coalesce(sum(pgsize), 0) AS n FROM dbstat WHERE name LIKE ?`).get(like) as { n: number }).n);
    indexBytes = sizeOf('message_search%');
    messageBytes = sizeOf('messages') + sizeOf('messages_%') + sizeOf('sqlite_autoindex_messages%');
    d.close();
  }

  const record: SeedRecord = { searcherId: searcher.id, groupIds: groupIds.slice(0, SEARCHER_GROUPS), seed, seedSeconds: seconds, indexBytes, messageBytes };
  // Written last: a seed interrupted before this line is seeded anew next time.
  if (keep && databaseUrl) {
    const c = new pg.Client({ connectionString: databaseUrl });
    await c.connect();
    await c.query('CREATE TABLE bench_seed (record jsonb NOT NULL)');
    await c.query('INSERT INTO bench_seed VALUES ($1)', [JSON.stringify(record)]);
    await c.end();
  } else if (keep) writeFileSync(join(dataDir, 'bench-seed.json'), JSON.stringify(record));
  process.stdout.write(JSON.stringify({ url: server.url, token, ...record }) + '\n');
  process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
}
