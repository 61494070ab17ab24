// The embedded engine's one connection is handed to queued queries in the
// order they were made (src/store/sqlite/fifo-dialect.ts, which replaces
// Kysely's wake-everyone lock): a transaction keeps it until it ends, a
// failing query or a rolled-back transaction gives it back, and thousands of
// queries queued at once all run, in order.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sql } from 'kysely';
import { sqliteEngine } from '../../src/store/sqlite/sqlite-engine.ts';

async function withEngine(fn: (db: ReturnType<typeof sqliteEngine>['db']) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-fifo-'));
  const engine = sqliteEngine(join(dir, 'parley.db'));
  try {
    await sql`CREATE TABLE t (n INTEGER NOT NULL)`.execute(engine.db);
    await fn(engine.db);
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const count = async (db: ReturnType<typeof sqliteEngine>['db']) => Number((await sql<{ c: number }>`SELECT count(*) AS c FROM t`.execute(db)).rows[0].c);

test('3,000 queries queued at once all run, one at a time, in the order they were made', async () => {
  await withEngine(async (db) => {
    const done: number[] = [];
    // A write every tenth (each commit is an fsync), reads between.
    const queries = Array.from({ length: 3000 }, (_, i) =>
      (i % 10 === 0 ? sql`INSERT INTO t (n) VALUES (${i})`.execute(db) : count(db)).then((r) => {
        done.push(i);
        return r;
      }),
    );
    const results = await Promise.all(queries);
    assert.deepEqual(done, Array.from({ length: 3000 }, (_, i) => i));
    // Each count saw exactly the inserts made before it.
    for (let i = 0; i < 3000; i++) if (i % 10 !== 0) assert.equal(results[i], Math.floor(i / 10) + 1);
  });
});

test('a transaction keeps the connection while it waits: queries made meanwhile see all of it or none', async () => {
  await withEngine(async (db) => {
    let inside!: () => void;
    const started = new Promise<void>((r) => (inside = r));
    const tx = db.transaction().execute(async (trx) => {
      await sql`INSERT INTO t (n) VALUES (1)`.execute(trx);
      inside();
      // Off the connection for a while, still holding it.
      await new Promise((r) => setTimeout(r, 50));
      await sql`INSERT INTO t (n) VALUES (2)`.execute(trx);
    });
    await started;
    const seen = await Promise.all(Array.from({ length: 100 }, () => count(db)));
    await tx;
    assert.deepEqual(new Set(seen), new Set([2]), 'every query waited for the commit');
  });
});

test('a failing query and a rolled-back transaction give the connection back', async () => {
  await withEngine(async (db) => {
    const bad = sql`SELECT * FROM no_such_table`.execute(db);
    const rolledBack = db.transaction().execute(async (trx) => {
      await sql`INSERT INTO t (n) VALUES (1)`.execute(trx);
      throw new Error('changed my mind');
    });
    const after = count(db);
    await assert.rejects(bad, /no such table/);
    await assert.rejects(rolledBack, /changed my mind/);
    assert.equal(await after, 0);
    await sql`INSERT INTO t (n) VALUES (3)`.execute(db);
    assert.equal(await count(db), 1);
  });
});
