// The embedded engine's commits are durable without an fsync in COMMIT: the
// connection runs with synchronous=NORMAL and every commit waits for a flush
// of the write-ahead log done on the thread pool (src/store/sqlite/
// log-flush.ts, durable-driver.ts). A test hook holds that flush to show what
// waits for it; the last test follows the real log file on disk.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Engine } from '../../src/store/engine.ts';
import { walFlush } from '../../src/store/sqlite/log-flush.ts';
import { sqliteEngine } from '../../src/store/sqlite/sqlite-engine.ts';

/** A flush hook that counts flushes and, while `hold` is set, parks each one until `release()`. */
function heldFlushes() {
  const state = {
    flushes: 0,
    hold: false,
    fail: undefined as Error | undefined,
    /** Resolves when a held flush is waiting. */
    waiting: Promise.withResolvers<void>(),
    gate: Promise.withResolvers<void>(),
    release() {
      state.hold = false;
      state.gate.resolve();
    },
  };
  const wrap = async (real: () => Promise<void>) => {
    state.flushes += 1;
    if (state.fail) throw state.fail;
    if (state.hold) {
      state.waiting.resolve();
      await state.gate.promise;
    }
    await real();
  };
  return { state, wrap };
}

const settled = (p: Promise<unknown>) => {
  const s = { done: false };
  p.then(
    () => (s.done = true),
    () => (s.done = true),
  );
  return s;
};
const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

describe('durable commits on the embedded engine', () => {
  let dir: string;
  let engine: Engine;
  let hook: ReturnType<typeof heldFlushes>;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-durable-'));
    hook = heldFlushes();
    engine = sqliteEngine(join(dir, 'parley.db'), { wrapFlush: hook.wrap });
    await sql`CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)`.execute(engine.db);
  });
  afterEach(async () => {
    hook.state.release();
    await engine.close().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  });

  test('a transaction returns only after its log is flushed, and nothing reads it before; timers run meanwhile', async () => {
    hook.state.hold = true;
    const tx = engine.db.transaction().execute(async (trx) => {
      await trx.insertInto('notes' as never).values({ body: 'kept' } as never).execute();
    });
    const committed = settled(tx);
    await hook.state.waiting.promise;
    // A read asked for while the flush runs waits for it: it cannot see the commit early.
    const read = sql<{ n: number }>`SELECT count(*) AS n FROM notes`.execute(engine.db);
    const answered = settled(read);
    // The event loop is free: timers and other turns run while the flush is held.
    const timer = await new Promise<number>((r) => setTimeout(() => r(Date.now()), 20));
    assert.ok(timer > 0);
    await turns(20);
    assert.equal(committed.done, false, 'the commit returned before its log was flushed');
    assert.equal(answered.done, false, 'a read ran while a commit was not yet on disk');
    hook.state.release();
    await tx;
    assert.equal((await read).rows[0].n, 1);
  });

  test('a write outside a transaction waits for a flush; reads and writes that change nothing do not flush', async () => {
    const before = hook.state.flushes;
    await sql`SELECT count(*) FROM notes`.execute(engine.db);
    await engine.db.selectFrom('notes' as never).selectAll().execute();
    await sql`UPDATE notes SET body = 'x' WHERE id = -1`.execute(engine.db);
    assert.equal(hook.state.flushes, before, 'a statement that changed nothing flushed the log');
    hook.state.hold = true;
    const insert = engine.db.insertInto('notes' as never).values({ body: 'alone' } as never).execute();
    const done = settled(insert);
    await hook.state.waiting.promise;
    await turns(20);
    assert.equal(done.done, false, 'the write returned before its log was flushed');
    hook.state.release();
    await insert;
    assert.equal(hook.state.flushes, before + 1);
    // A transaction flushes once, at its commit, however many statements it holds.
    await engine.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 5; i++) await trx.insertInto('notes' as never).values({ body: `n${i}` } as never).execute();
    });
    assert.equal(hook.state.flushes, before + 2);
  });

  test('a failed flush fails its commit with that error, and every later write until the process restarts', async () => {
    hook.state.fail = new Error('EIO: the disk said no');
    await assert.rejects(
      engine.db.transaction().execute(async (trx) => {
        await trx.insertInto('notes' as never).values({ body: 'unsure' } as never).execute();
      }),
      /flushing the SQLite write-ahead log .* failed; writes are refused until Parley restarts: EIO: the disk said no/,
    );
    hook.state.fail = undefined;
    await assert.rejects(engine.db.insertInto('notes' as never).values({ body: 'later' } as never).execute(), /writes are refused until Parley restarts/);
    // Reads go on.
    const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM notes WHERE body = 'later'`.execute(engine.db);
    assert.equal(rows[0].n, 0);
  });

  test('PARLEY_SQLITE_SYNC=normal does not flush, and neither does an in-memory database', async () => {
    for (const path of [join(dir, 'normal.db'), ':memory:']) {
      const h = heldFlushes();
      const e = sqliteEngine(path, { synchronous: path === ':memory:' ? 'full' : 'normal', wrapFlush: h.wrap });
      try {
        await sql`CREATE TABLE t (x INTEGER)`.execute(e.db);
        await sql`INSERT INTO t (x) VALUES (1)`.execute(e.db);
        await e.db.transaction().execute((trx) => sql`INSERT INTO t (x) VALUES (2)`.execute(trx));
        assert.equal(h.state.flushes, 0, path);
      } finally {
        await e.close();
      }
    }
  });
});

/** The files of this process's open descriptors that are the log at `wal`. */
function openLogs(wal: string): string[] {
  return readdirSync('/proc/self/fd')
    .map((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        return '';
      }
    })
    .filter((target) => target.startsWith(wal));
}

test('the flush finds the log once there is one, and keeps flushing it after a checkpoint truncated it', { skip: existsSync('/proc/self/fd') ? false : 'needs /proc' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-wal-'));
  const path = join(dir, 'parley.db');
  const wal = `${path}-wal`;
  const log = walFlush(path);
  try {
    // No database, no log: nothing to flush.
    await log.flush();
    assert.deepEqual(openLogs(wal), []);
    const db = new DatabaseSync(path);
    db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1)');
    // SQLite's own descriptor, then ours beside it.
    assert.deepEqual(openLogs(wal), [wal]);
    await log.flush();
    assert.deepEqual(openLogs(wal), [wal, wal]);
    // A truncating checkpoint empties the same file: still the one flushed.
    db.exec('PRAGMA wal_checkpoint(TRUNCATE); INSERT INTO t VALUES (2)');
    await log.flush();
    assert.deepEqual(openLogs(wal), [wal, wal]);
    db.close();
  } finally {
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  }
  assert.deepEqual(openLogs(wal), []);
});
