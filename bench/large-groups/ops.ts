// Large-group benchmark (issue 17 items 1 and 4), in core (no HTTP, so the
// figures are the rules and the store, not the transport):
//
// 1. Member operations in a group of SIZES members (default 100 and 100,000):
//    add a batch of 100, page the member list (first page and a page deep in
//    it), look up one member, kick one, mute one, leave, send one message.
//    Each is repeated REPEAT times (fresh members where it changes them);
//    p50 / p99 in ms.
// 2. Read receipts in a group of RECEIPT_GROUP members (default 10,000) with
//    read receipts on: every member marks the latest message read, CONCURRENT
//    at a time (the coalesced writer batches them); then "how many read this"
//    and "who read this" (a page of 50), REPEAT times each; p99 in ms.
//
// Users are seeded with one bulk insert per 5,000 (a benchmark's shortcut;
// membership goes through core). SQLite by default (a fresh file under
// /tmp); DATABASE_URL=postgres://… for PostgreSQL.
//
//   node --disable-warning=ExperimentalWarning bench/large-groups/ops.ts

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/core/clock.ts';
import { createCore, type Core } from '../../src/core/core.ts';
import { SnowflakeIds } from '../../src/core/ids.ts';
import { memoryAttemptCounters } from '../../src/limits/attempt-counters.ts';
import { kyselyStore } from '../../src/store/kysely-store.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { openEngine } from '../../src/store/open.ts';
import { sql } from 'kysely';
import type { Engine } from '../../src/store/engine.ts';
import { loadAverage } from '../support.ts';

const SIZES = (process.env.SIZES ?? '100,100000').split(',').map(Number);
const RECEIPT_GROUP = Number(process.env.RECEIPT_GROUP ?? 10_000);
const REPEAT = Number(process.env.REPEAT ?? 100);
const CONCURRENT = Number(process.env.CONCURRENT ?? 1000);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Number(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))].toFixed(2));
};

async function timed(n: number, op: (i: number) => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await op(i);
    ms.push(performance.now() - t0);
  }
  return { p50: pct(ms, 50), p99: pct(ms, 99) };
}

let handles = 0;
async function seedUsers(engine: Engine, appId: number, ids: SnowflakeIds, n: number): Promise<number[]> {
  const out: number[] = [];
  const now = Date.now();
  for (let i = 0; i < n; i += 5000) {
    const rows = Array.from({ length: Math.min(5000, n - i) }, () => {
      const id = ids.next();
      out.push(id);
      const handle = `b${++handles}`;
      return { id, app_id: appId, handle, display_name: handle, avatar: '', profile: '{}', password_hash: null, created_at: now, updated_at: now };
    });
    // 9 columns × 500 rows stays under both engines' parameter limits.
    await engine.db.transaction().execute(async (trx) => {
      for (let j = 0; j < rows.length; j += 500) await trx.insertInto('users').values(rows.slice(j, j + 500)).execute();
    });
  }
  return out;
}

async function groupOf(core: Core, engine: Engine, appId: number, ids: SnowflakeIds, size: number, settings: Record<string, unknown> = {}) {
  const [ownerId, ...members] = await seedUsers(engine, appId, ids, size);
  const owner = { appId, userId: ownerId, appAdmin: false };
  const { group } = await core.groups.lifecycle.create(owner, { name: `g${size}`, settings: { capacity: 200_000, ...settings } });
  for (let i = 0; i < members.length; i += 500) await core.groups.members.add(owner, group.id, members.slice(i, i + 500));
  return { groupId: group.id, ownerId, owner, members };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'parley-lg-'));
  const databaseUrl = process.env.DATABASE_URL ?? '';
  const engine = openEngine({ databaseUrl, dataDir: dir, poolSize: 10 });
  await migrateToLatest(engine);
  const store = kyselyStore(engine);
  const clock = new ManualClock(Date.now());
  const ids = new SnowflakeIds(clock, 1);
  // Capacity above 100,000 so that a group of 100,000 can still take the added batches.
  const core = createCore({ store, clock, ids, onBackgroundError: () => {}, attempts: memoryAttemptCounters().counters, settings: { userTokenTtlSeconds: 3600, groups: { defaultCapacity: 200, maxCapacity: 200_000 } } });
  const app = await core.apps.create('bench');
  const appId = app.id;
  const results: Record<string, unknown> = { engine: engine.name, loadBefore: loadAverage(), repeat: REPEAT };

  for (const size of SIZES) {
    const t0 = performance.now();
    const g = await groupOf(core, engine, appId, ids, size);
    const seedS = Number(((performance.now() - t0) / 1000).toFixed(1));
    const spare = await seedUsers(engine, appId, ids, REPEAT * 100);
    // What autovacuum does in production a few seconds after a bulk load; some
    // hosts (this one) run PostgreSQL without it, and a planner without row
    // counts walks the group for a page deep in its member list.
    if (engine.name === 'postgres') await sql`ANALYZE group_members, users, groups, messages`.execute(engine.db);
    // Members acted on, taken from the end of the join order (the list pages from its start).
    // A group of 100 has too few members for REPEAT kicks, mutes and leaves each: fewer repeats there.
    const n = Math.min(REPEAT, Math.floor(g.members.length / 4));
    const victims = g.members.slice(-n * 3);
    const deep = (await core.groups.members.list(g.owner, g.groupId, { limit: 1000 })).next as string;
    const ops = {
      'add a batch of 100': await timed(Math.min(REPEAT, 20), async (i) => {
        const results = await core.groups.members.add(g.owner, g.groupId, spare.slice(i * 100, i * 100 + 100));
        if (results.some((r) => !r.ok)) throw new Error(`a batch was refused: ${JSON.stringify(results.find((r) => !r.ok))}`);
      }),
      'list the first page (50)': await timed(REPEAT, () => core.groups.members.list(g.owner, g.groupId, { limit: 50 })),
      'list a page by cursor (50)': await timed(REPEAT, () => core.groups.members.list(g.owner, g.groupId, { limit: 50, cursor: deep })),
      'look up one member': await timed(REPEAT, (i) => core.groups.members.get(g.owner, g.groupId, g.members[(i * 7919) % g.members.length])),
      'kick one': await timed(n, (i) => core.groups.members.kick(g.owner, g.groupId, [victims[i]])),
      'mute one': await timed(n, (i) => core.groups.moderation.mute(g.owner, g.groupId, [victims[n + i]], { forMs: 60_000 })),
      'list the muted (50)': await timed(n, () => core.groups.moderation.listMuted(g.owner, g.groupId, { limit: 50 })),
      leave: await timed(n, (i) => core.groups.members.leave({ appId, userId: victims[2 * n + i], appAdmin: false }, g.groupId)),
      'send one message': await timed(REPEAT, (i) => core.messages.send(appId, g.members[i % 20], { groupId: g.groupId }, { type: 'text', body: { text: `m${i}` } })),
    };
    results[`members ${size}`] = { seedSeconds: seedS, repeatsOfKickMuteLeave: n, ...ops };
    console.error(`size ${size}:`, JSON.stringify(ops));
  }

  // Read receipts at RECEIPT_GROUP members.
  const r = await groupOf(core, engine, appId, ids, RECEIPT_GROUP, { readReceipts: true });
  const sent = await core.messages.send(appId, r.ownerId, { groupId: r.groupId }, { type: 'text', body: { text: 'read me' } });
  const before = { ...core.messages.readWriterStats };
  const markMs: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < r.members.length; i += CONCURRENT) {
    await Promise.all(
      r.members.slice(i, i + CONCURRENT).map(async (userId) => {
        const s = performance.now();
        await core.messages.markRead(appId, userId, { groupId: r.groupId }, sent.message.seq);
        markMs.push(performance.now() - s);
      }),
    );
  }
  const allReadS = (performance.now() - t0) / 1000;
  const after = core.messages.readWriterStats;
  const reader = r.members[0];
  results[`receipts ${RECEIPT_GROUP}`] = {
    'every member marks read': {
      members: r.members.length,
      concurrent: CONCURRENT,
      seconds: Number(allReadS.toFixed(2)),
      perSecond: Math.round(r.members.length / allReadS),
      p50: pct(markMs, 50),
      p99: pct(markMs, 99),
      writeStatements: after.batches - before.batches,
      largestBatch: after.largestBatch,
    },
    'how many read this': await timed(REPEAT, () => core.messages.messageReads(appId, reader, sent.message.id)),
    'who read this (page of 50)': await timed(REPEAT, () => core.messages.messageReaders(appId, reader, sent.message.id, { limit: 50 })),
    'history page of 20 with read counts': await timed(REPEAT, () => core.messages.history(appId, reader, { groupId: r.groupId }, { limit: 20 })),
  };
  results.loadAfter = loadAverage();
  console.log(JSON.stringify(results, null, 2));
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

await main();
