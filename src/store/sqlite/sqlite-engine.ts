import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from '../schema.ts';
import type { Engine } from '../engine.ts';
import { openSqlite } from './sqlite-database.ts';

/** The embedded engine: one SQLite file in WAL mode, one writer connection. */
export function sqliteEngine(path: string): Engine {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const { database } = openSqlite(path, { busyTimeoutMs: 5000 });
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  return {
    name: 'sqlite',
    db,
    // SQLite serialises writers itself; a row lock clause would be a syntax error.
    supportsRowLocks: false,
    currentSchema: async () => undefined,
    async close() {
      await db.destroy();
    },
  };
}
