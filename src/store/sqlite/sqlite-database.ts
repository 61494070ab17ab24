// Adapts Node's built-in `node:sqlite` to the small database interface that
// Kysely's SqliteDialect drives (the better-sqlite3 shape), so the embedded
// store needs no native addon.

import { DatabaseSync, type StatementSync, type SQLInputValue } from 'node:sqlite';
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import type { CommitProbe } from './durable-driver.ts';

const STATEMENT_CACHE = 500;

function bind(params: ReadonlyArray<unknown>): SQLInputValue[] {
  return params.map((p) => {
    if (typeof p === 'boolean') return p ? 1 : 0;
    if (p === undefined) return null;
    return p as SQLInputValue;
  });
}

export interface SqliteOptions {
  /** Milliseconds a writer waits for another process's lock before failing. */
  busyTimeoutMs: number;
  /** Pages SQLite keeps in memory, in MiB: hot conversations are read without a system call. */
  cacheMiB: number;
}

export function openSqlite(path: string, options: SqliteOptions): { database: SqliteDatabase; raw: DatabaseSync; probe: CommitProbe } {
  const raw = new DatabaseSync(path);
  raw.exec('PRAGMA journal_mode = WAL');
  // A commit writes the log to the OS and returns: SQLite syncs only at
  // checkpoints. Where commits must survive a power cut, the driver flushes
  // the log off the event loop before a commit returns (durable-driver.ts).
  raw.exec('PRAGMA synchronous = NORMAL');
  raw.exec('PRAGMA foreign_keys = ON');
  // Negative: a size in KiB rather than a page count.
  raw.exec(`PRAGMA cache_size = ${-Math.trunc(options.cacheMiB * 1024)}`);
  raw.exec(`PRAGMA busy_timeout = ${Math.trunc(options.busyTimeoutMs)}`);

  // Prepared statements are reused: Kysely compiles the same SQL text for the
  // same query shape, and preparing is a large share of a small query's cost.
  const cache = new Map<string, { stmt: StatementSync; reader: boolean }>();
  const prepare = (sql: string) => {
    let hit = cache.get(sql);
    if (hit) {
      cache.delete(sql);
      cache.set(sql, hit);
      return hit;
    }
    const stmt = raw.prepare(sql);
    hit = { stmt, reader: stmt.columns().length > 0 };
    cache.set(sql, hit);
    if (cache.size > STATEMENT_CACHE) cache.delete(cache.keys().next().value as string);
    return hit;
  };

  const database: SqliteDatabase = {
    close: () => raw.close(),
    prepare(sql: string): SqliteStatement {
      const { stmt, reader } = prepare(sql);
      return {
        reader,
        all: (params) => stmt.all(...bind(params)),
        run: (params) => {
          const r = stmt.run(...bind(params));
          return { changes: r.changes, lastInsertRowid: r.lastInsertRowid };
        },
        iterate: (params) => stmt.iterate(...bind(params)) as IterableIterator<unknown>,
      };
    },
  };
  const changes = raw.prepare('SELECT total_changes() AS n');
  const probe: CommitProbe = {
    inTransaction: () => raw.isTransaction,
    totalChanges: () => Number((changes.get() as { n: number | bigint }).n),
  };
  return { database, raw, probe };
}
