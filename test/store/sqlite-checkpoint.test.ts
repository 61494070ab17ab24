// The embedded engine copies its write-ahead log into the database file from
// a worker thread (src/store/sqlite/checkpointer.ts): commits below the
// main connection's own (safety) threshold are checkpointed all the same.
// The worker runs only while writes come fast (an idle server does not hold it).

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sql } from 'kysely';
import { DatabaseSync } from 'node:sqlite';
import { sqliteEngine } from '../../src/store/sqlite/sqlite-engine.ts';
import { startCheckpointer } from '../../src/store/sqlite/checkpointer.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';

/** A WAL database with one table to fill, in a directory of its own (the caller removes it). */
function walDatabase(): { dir: string; path: string; db: DatabaseSync } {
  const dir = mkdtempSync(join(tmpdir(), 'parley-ckpt-'));
  const path = join(dir, 'parley.db');
  const db = new DatabaseSync(path);
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('CREATE TABLE filler (body TEXT NOT NULL)');
  return { dir, path, db };
}

test('the checkpoint worker copies committed pages into the database file without the committing thread', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-ckpt-'));
  const path = join(dir, 'parley.db');
  const engine = sqliteEngine(path);
  try {
    // Alone, the committing connection checkpoints at SQLite's 1,000 pages.
    const threshold = async () => (await sql<{ wal_autocheckpoint: number }>`PRAGMA wal_autocheckpoint`.execute(engine.db)).rows[0].wal_autocheckpoint;
    assert.equal(await threshold(), 1000);
    await sql`CREATE TABLE filler (body TEXT NOT NULL)`.execute(engine.db);
    const page = 'x'.repeat(4000);
    // Fast writes start the worker, and the committing connection leaves checkpoints to it below 10,000 pages.
    for (let c = 0; c < 40; c++) await sql`INSERT INTO filler (body) VALUES (${page})`.execute(engine.db);
    const started = Date.now() + 3000;
    while ((await threshold()) !== 10_000 && Date.now() < started) await new Promise((r) => setTimeout(r, 50));
    assert.equal(await threshold(), 10_000);
    // About 2,000 pages in 100 commits: far below the main connection's 10,000-page threshold.
    for (let c = 0; c < 100; c++) {
      await engine.db.transaction().execute(async (tx) => {
        for (let i = 0; i < 20; i++) await sql`INSERT INTO filler (body) VALUES (${page})`.execute(tx);
      });
    }
    const deadline = Date.now() + 5000;
    while (statSync(path).size < 2000 * 4000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.ok(statSync(path).size >= 2000 * 4000, `database file is ${statSync(path).size} bytes: the log was not checkpointed`);
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the worker starts with fast writes and stops after a quiet spell, with the log copied', async () => {
  const { dir, path, db } = walDatabase();
  const checkpointer = startCheckpointer(path, db, { watchEveryMs: 250, idleStopMs: 500 });
  const waitFor = async (what: () => boolean, ms: number) => {
    const deadline = Date.now() + ms;
    while (!what() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return what();
  };
  try {
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(checkpointer.running, false, 'nothing written: no worker');
    // A write now and then (the node lease's renewals) does not start it.
    for (let i = 0; i < 3; i++) {
      db.prepare('INSERT INTO filler (body) VALUES (?)').run('slow');
      await new Promise((r) => setTimeout(r, 120));
    }
    assert.equal(checkpointer.running, false, 'slow writes: no worker');
    const page = 'x'.repeat(4000);
    const insert = db.prepare('INSERT INTO filler (body) VALUES (?)');
    for (let i = 0; i < 500; i++) insert.run(page);
    assert.equal(await waitFor(() => checkpointer.running, 2000), true, 'commits started the worker');
    assert.equal(await waitFor(() => !checkpointer.running, 5000), true, 'a quiet spell stopped it');
    // Its last checkpoint copied the 500 pages in.
    assert.equal(await waitFor(() => statSync(path).size >= 500 * 4000, 3000), true, `database file is ${statSync(path).size} bytes`);
    // And fast writes start it again.
    for (let i = 0; i < 50; i++) insert.run(page);
    assert.equal(await waitFor(() => checkpointer.running, 2000), true);
  } finally {
    await checkpointer.stop();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a fresh store's migrations do not start the worker: the main connection checkpoints them once", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-ckpt-'));
  const path = join(dir, 'parley.db');
  const engine = sqliteEngine(path);
  const threshold = async () => (await sql<{ wal_autocheckpoint: number }>`PRAGMA wal_autocheckpoint`.execute(engine.db)).rows[0].wal_autocheckpoint;
  try {
    const { applied } = await migrateToLatest(engine);
    assert.ok(applied.length > 10, 'a fresh store runs every migration');
    // Past two of the watcher's one-second looks: the worker would have raised the threshold to 10,000 pages.
    await new Promise((r) => setTimeout(r, 2300));
    assert.equal(await threshold(), 1000, 'the migrations started the checkpoint worker');
    // Their pages are in the database file, and the log was emptied.
    assert.equal(statSync(`${path}-wal`).size, 0);
    assert.ok(statSync(path).size > 100 * 1024);
    // Traffic still starts it.
    await sql`CREATE TABLE filler (body TEXT NOT NULL)`.execute(engine.db);
    for (let c = 0; c < 40; c++) await sql`INSERT INTO filler (body) VALUES (${'x'.repeat(100)})`.execute(engine.db);
    const started = Date.now() + 3000;
    while ((await threshold()) !== 10_000 && Date.now() < started) await new Promise((r) => setTimeout(r, 50));
    assert.equal(await threshold(), 10_000);
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('writes made under a hold do not count as fast, and the ones after it do', async () => {
  const { dir, path, db } = walDatabase();
  const checkpointer = startCheckpointer(path, db, { watchEveryMs: 100, idleStopMs: 500 });
  const insert = db.prepare('INSERT INTO filler (body) VALUES (?)');
  try {
    const release = checkpointer.hold();
    // Across several looks of the watcher, and one burst right before the release.
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 200; i++) insert.run('held');
      await new Promise((r) => setTimeout(r, 120));
    }
    for (let i = 0; i < 200; i++) insert.run('held');
    release();
    await new Promise((r) => setTimeout(r, 350));
    assert.equal(checkpointer.running, false, 'writes under the hold started the worker');
    for (let i = 0; i < 200; i++) insert.run('traffic');
    const deadline = Date.now() + 2000;
    while (!checkpointer.running && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(checkpointer.running, true);
  } finally {
    await checkpointer.stop();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
