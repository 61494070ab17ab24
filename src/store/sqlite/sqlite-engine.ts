import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import type { Engine } from '../engine.ts';
import { startCheckpointer } from './checkpointer.ts';
import { FifoSqliteDialect } from './fifo-dialect.ts';
import { openSqlite } from './sqlite-database.ts';

/** The embedded engine: one SQLite file in WAL mode, one writer connection. */
export function sqliteEngine(path: string, opts: { synchronous?: 'full' | 'normal'; cacheMiB?: number } = {}): Engine {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const { database, raw } = openSqlite(path, { busyTimeoutMs: 5000, synchronous: opts.synchronous ?? 'full', cacheMiB: opts.cacheMiB ?? 64 });
  // Queries queue for the one connection in arrival order, at O(1) each (fifo-dialect.ts).
  const db = new Kysely<Database>({ dialect: new FifoSqliteDialect({ database }) });
  // An in-memory database has no log to copy.
  const checkpointer = path === ':memory:' ? undefined : startCheckpointer(path, raw);
  return {
    name: 'sqlite',
    db,
    // SQLite serialises writers itself; a row lock clause would be a syntax error.
    supportsRowLocks: false,
    currentSchema: async () => undefined,
    async close() {
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}
