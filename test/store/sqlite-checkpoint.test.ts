// The embedded engine copies its write-ahead log into the database file from
// a worker thread (src/store/sqlite/checkpointer.ts): commits below the
// main connection's own (safety) threshold are checkpointed all the same.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sql } from 'kysely';
import { sqliteEngine } from '../../src/store/sqlite/sqlite-engine.ts';

test('the checkpoint worker copies committed pages into the database file without the committing thread', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-ckpt-'));
  const path = join(dir, 'parley.db');
  const engine = sqliteEngine(path);
  try {
    // The committing connection leaves checkpoints to the worker below 10,000 pages.
    const threshold = await sql<{ wal_autocheckpoint: number }>`PRAGMA wal_autocheckpoint`.execute(engine.db);
    assert.equal(threshold.rows[0].wal_autocheckpoint, 10_000);
    await sql`CREATE TABLE filler (body TEXT NOT NULL)`.execute(engine.db);
    const page = 'x'.repeat(4000);
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
