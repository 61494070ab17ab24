import { join } from 'node:path';
import type { Engine } from './engine.ts';
import { postgresEngine } from './postgres/postgres-engine.ts';
import { sqliteEngine } from './sqlite/sqlite-engine.ts';

export interface StoreSettings {
  /** postgres://… selects PostgreSQL; empty selects SQLite under dataDir; sqlite:<path> names a file. */
  databaseUrl: string;
  dataDir: string;
  poolSize: number;
  /** PostgreSQL schema to use (tests); default the connection's search_path. */
  schema?: string;
  /** SQLite: fsync every commit (full, the default) or only checkpoints (normal). */
  sqliteSync?: 'full' | 'normal';
}

export function openEngine(s: StoreSettings): Engine {
  const url = s.databaseUrl.trim();
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    return postgresEngine({ url, poolSize: s.poolSize, ...(s.schema ? { schema: s.schema } : {}) });
  }
  if (url.startsWith('sqlite:')) return sqliteEngine(url.slice('sqlite:'.length), s.sqliteSync);
  if (url === '') return sqliteEngine(join(s.dataDir, 'parley.db'), s.sqliteSync);
  throw new Error(`DATABASE_URL must start with postgres://, postgresql:// or sqlite: (got "${url}")`);
}
