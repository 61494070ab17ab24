import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, sql } from 'kysely';
import type { Database } from '../schema.ts';
import type { Engine } from '../engine.ts';
import { startCheckpointer } from './checkpointer.ts';
import { FifoSqliteDialect } from './fifo-dialect.ts';
import { DurableSqliteDialect } from './durable-driver.ts';
import { walFlush, type FlushWrapper } from './log-flush.ts';
import { openSqlite } from './sqlite-database.ts';

export interface SqliteEngineOptions {
  /**
   * full: a commit returns once its log is on disk, so it survives a power
   * cut (the flush runs on the thread pool, not in COMMIT on the event loop).
   * normal: once the log is written to the OS: it survives the process
   * crashing, not the machine; no flush per commit.
   */
  synchronous?: 'full' | 'normal';
  cacheMiB?: number;
  /** Tests: wraps each flush of the log (to hold a commit and watch what waits for it). */
  wrapFlush?: FlushWrapper;
}

/** The embedded engine: one SQLite file in WAL mode, one writer connection. */
export function sqliteEngine(path: string, opts: SqliteEngineOptions = {}): Engine {
  const inMemory = path === ':memory:';
  if (!inMemory) mkdirSync(dirname(path), { recursive: true });
  const { database, raw, probe } = openSqlite(path, { busyTimeoutMs: 5000, cacheMiB: opts.cacheMiB ?? 64 });
  // An in-memory database has no log to flush, nor to copy.
  const durable = !inMemory && (opts.synchronous ?? 'full') === 'full';
  // Queries queue for the one connection in arrival order, at O(1) each (fifo-dialect.ts).
  const log = durable ? walFlush(path, opts.wrapFlush) : undefined;
  const dialect = log ? new DurableSqliteDialect({ database }, probe, log) : new FifoSqliteDialect({ database });
  const db = new Kysely<Database>({ dialect });
  const checkpointer = inMemory ? undefined : startCheckpointer(path, raw);
  return {
    name: 'sqlite',
    db,
    // SQLite serialises writers itself; a row lock clause would be a syntax error.
    supportsRowLocks: false,
    currentSchema: async () => undefined,
    // After a failed flush every write is refused until restart: the store is not ready.
    assertWritable: () => log?.assertWritable(),
    async bulkWrite(work) {
      // A fresh store's migrations are thousands of changes in a second: not
      // a reason to run the worker (~18 MiB) for the minute after. The main
      // connection checkpoints what they wrote once, when they are done.
      if (!checkpointer) return work();
      const release = checkpointer.hold();
      try {
        return await work();
      } finally {
        try {
          await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db);
        } catch {
          // A reader in the way: the main connection's own threshold (1,000 pages) still bounds the log.
        }
        release();
      }
    },
    async close() {
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}
