// A consistent copy of the embedded database while the server runs and
// writes. `VACUUM INTO` reads inside one read transaction, so the copy is the
// database as of one commit: every write acknowledged before it started is in
// it, none is half in it. In WAL mode a reader never blocks the writer, so the
// server keeps committing while the copy is made.

import { existsSync, rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';

export function copySqlite(source: string, target: string): void {
  if (!existsSync(source)) throw new Error(`no database at ${source}`);
  const db = new DatabaseSync(source, { readOnly: true });
  try {
    db.exec('PRAGMA busy_timeout = 10000');
    db.prepare('VACUUM INTO ?').run(target);
  } finally {
    db.close();
  }
  checkSqlite(target);
}

/** Throws unless the file is a sound SQLite database. */
export function checkSqlite(path: string): void {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const rows = db.prepare('PRAGMA integrity_check').all() as { integrity_check: string }[];
    const verdict = rows.map((r) => r.integrity_check).join('; ');
    if (verdict !== 'ok') throw new Error(`${path} is damaged: ${verdict}`);
  } finally {
    db.close();
  }
}

/**
 * Puts a backup file in place of the database at `target`. The old file's
 * write-ahead log goes too: left beside the new file, SQLite would replay it
 * into a database it does not belong to.
 */
export function restoreSqlite(backup: string, target: string, copy: (from: string, to: string) => void): void {
  checkSqlite(backup);
  for (const suffix of ['', '-wal', '-shm']) rmSync(target + suffix, { force: true });
  copy(backup, target);
  // The processes that held node ids at backup time are gone: their leases
  // lapse now (each keeps its id floor, so new ids still start above it).
  const db = new DatabaseSync(target);
  try {
    db.exec('UPDATE node_leases SET expires_at = 0');
  } finally {
    db.close();
  }
}

/** Servers whose node-id lease on this database is still live: a restore under a running server would corrupt it. */
export function liveSqliteServers(path: string, now: number): { nodeId: number; host: string; pid: number }[] {
  if (!existsSync(path)) return [];
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'node_leases'").get();
    if (!table) return [];
    const rows = db.prepare("SELECT node_id, host, pid FROM node_leases WHERE role = 'server' AND expires_at > ?").all(now) as { node_id: number; host: string; pid: number }[];
    return rows.map((r) => ({ nodeId: Number(r.node_id), host: r.host, pid: Number(r.pid) }));
  } finally {
    db.close();
  }
}
