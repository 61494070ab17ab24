import { join } from 'node:path';
import type { Engine } from './engine.ts';
import { postgresEngine } from './postgres/postgres-engine.ts';
import { sqliteEngine } from './sqlite/sqlite-engine.ts';
import type { FlushWrapper } from './sqlite/log-flush.ts';

export interface StoreSettings {
  /** postgres://… selects PostgreSQL; empty selects SQLite under dataDir; sqlite:<path> names a file. */
  databaseUrl: string;
  dataDir: string;
  poolSize: number;
  /** PostgreSQL schema to use (tests); default the connection's search_path. */
  schema?: string;
  /** SQLite: every commit on disk before it returns (full, the default), or only at checkpoints (normal). */
  sqliteSync?: 'full' | 'normal';
  /** SQLite, tests: wraps each flush of the log to disk. */
  sqliteWrapFlush?: FlushWrapper;
  /** SQLite: its page cache, in MiB. */
  sqliteCacheMiB?: number;
}

export function openEngine(s: StoreSettings): Engine {
  const url = s.databaseUrl.trim();
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    return postgresEngine({ url, poolSize: s.poolSize, ...(s.schema ? { schema: s.schema } : {}) });
  }
  const sqlite = {
    ...(s.sqliteSync ? { synchronous: s.sqliteSync } : {}),
    ...(s.sqliteCacheMiB !== undefined ? { cacheMiB: s.sqliteCacheMiB } : {}),
    ...(s.sqliteWrapFlush ? { wrapFlush: s.sqliteWrapFlush } : {}),
  };
  if (url.startsWith('sqlite:')) return sqliteEngine(url.slice('sqlite:'.length), sqlite);
  if (url === '') return sqliteEngine(join(s.dataDir, 'parley.db'), sqlite);
  throw new Error(`DATABASE_URL must start with postgres://, postgresql:// or sqlite: (got "${url}")`);
}
