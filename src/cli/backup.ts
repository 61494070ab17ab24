// `parley backup` and `parley restore`. The embedded default (SQLite + local
// blobs) is copied while the server runs; PostgreSQL goes through pg_dump and
// pg_restore; S3 blobs stay where they are (the bucket's own versioning or
// replication backs them up; docs/operations.md).
//
// A backup is a directory:
//   manifest.json            what was copied, when, from which engine
//   parley.db | parley.pgdump   the database
//   blobs/                   the local blob directory (local blob store only)
//
// The database is copied first, then the blobs: every file the copied
// database names was stored before the copy began, so it is in blobs/ too
// (blobs written later are extra, never missing).

import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '../config.ts';
import { ParleyError } from '../core/errors.ts';
import { blobDirOf, copyBlobDir, countFiles } from '../blobs/local/backup.ts';
import { dumpPostgres, livePostgresServers, postgresTables, restorePostgres } from '../store/backup/postgres-backup.ts';
import { copySqlite, liveSqliteServers, restoreSqlite } from '../store/backup/sqlite-backup.ts';
import type { Command } from './commands.ts';
import { UsageError } from './usage-error.ts';

const MANIFEST = 'manifest.json';
const FORMAT = 1;

interface Manifest {
  format: number;
  createdAt: string;
  engine: 'sqlite' | 'postgres';
  database: string;
  blobs: { store: 'local'; files: number; bytes: number } | { store: 's3'; bucket: string; copied: false };
}

const isPostgres = (url: string) => url.startsWith('postgres://') || url.startsWith('postgresql://');

function sqlitePath(config: Config): string {
  const url = config.databaseUrl.trim();
  if (url.startsWith('sqlite:')) return url.slice('sqlite:'.length);
  return join(config.dataDir, 'parley.db');
}

const localBlobDir = (config: Config) => config.blobDir || join(config.dataDir, 'blobs');

const print = (v: unknown) => process.stdout.write(JSON.stringify(v, null, 2) + '\n');

function target(values: Record<string, string | boolean | undefined>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${name} is required`);
  return resolve(v);
}

async function refuseUnderRunningServer(config: Config): Promise<void> {
  const now = Date.now();
  const live = isPostgres(config.databaseUrl) ? await livePostgresServers(config.databaseUrl, now) : liveSqliteServers(sqlitePath(config), now);
  if (live.length === 0) return;
  const who = live.map((s) => `node ${s.nodeId} (pid ${s.pid} on ${s.host})`).join(', ');
  // --force does not override this: restoring under a live server corrupts what it writes next.
  throw new ParleyError('conflict', `a server is running on this database: ${who}; stop it first (the lease of a killed server lapses within a minute)`);
}

export const backupCommands: Record<string, Command> = {
  backup: {
    usage: 'parley backup --to DIR',
    summary: 'Copy the database and local blobs into a new directory, consistently, while the server runs.',
    options: { to: { type: 'string' } },
    async run(values, _p, config) {
      const dir = target(values, 'to');
      if (existsSync(dir) && readdirSync(dir).length > 0) throw new ParleyError('conflict', `${dir} is not empty: a backup goes into a new directory`);
      mkdirSync(dir, { recursive: true });
      const createdAt = new Date().toISOString();
      let manifest: Manifest;
      if (isPostgres(config.databaseUrl)) {
        await dumpPostgres(config.databaseUrl, join(dir, 'parley.pgdump'));
        manifest = { format: FORMAT, createdAt, engine: 'postgres', database: 'parley.pgdump', blobs: { store: 'local', files: 0, bytes: 0 } };
      } else {
        copySqlite(sqlitePath(config), join(dir, 'parley.db'));
        manifest = { format: FORMAT, createdAt, engine: 'sqlite', database: 'parley.db', blobs: { store: 'local', files: 0, bytes: 0 } };
      }
      manifest.blobs = config.blobStore === 's3' ? { store: 's3', bucket: config.s3Bucket, copied: false } : { store: 'local', ...copyBlobDir(localBlobDir(config), blobDirOf(dir)) };
      writeFileSync(join(dir, MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
      print({ backup: dir, ...manifest });
    },
  },
  restore: {
    usage: 'parley restore --from DIR [--force]',
    summary: 'Put a backup in place of the configured database and blobs (the server must be stopped).',
    options: { from: { type: 'string' }, force: { type: 'boolean' } },
    async run(values, _p, config) {
      const dir = target(values, 'from');
      const force = values.force === true;
      let manifest: Manifest;
      try {
        manifest = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as Manifest;
      } catch {
        throw new ParleyError('invalid_argument', `${dir} holds no Parley backup (no readable ${MANIFEST})`);
      }
      if (manifest.format !== FORMAT) throw new ParleyError('invalid_argument', `backup format ${manifest.format} is not one this version reads (${FORMAT})`);
      const postgres = isPostgres(config.databaseUrl);
      if ((manifest.engine === 'postgres') !== postgres) throw new ParleyError('invalid_argument', `the backup is of ${manifest.engine}, the configured database is ${postgres ? 'postgres' : 'sqlite'}`);
      await refuseUnderRunningServer(config);
      const blobTarget = localBlobDir(config);
      if (manifest.blobs.store === 'local' && config.blobStore === 'local' && countFiles(blobTarget) > 0 && !force) {
        throw new ParleyError('conflict', `${blobTarget} already holds files; restore into an empty one, or --force to add the backup's files to them`);
      }
      if (postgres) {
        const tables = await postgresTables(config.databaseUrl);
        if (tables > 0 && !force) throw new ParleyError('conflict', `the database already has ${tables} tables; restore into an empty database, or --force to drop what the backup replaces`);
        await restorePostgres(config.databaseUrl, join(dir, manifest.database), { clean: tables > 0 });
      } else {
        const db = sqlitePath(config);
        if (existsSync(db) && !force) throw new ParleyError('conflict', `${db} exists; --force replaces it`);
        mkdirSync(resolve(db, '..'), { recursive: true });
        restoreSqlite(join(dir, manifest.database), db, copyFileSync);
      }
      const blobs = manifest.blobs.store === 'local' && config.blobStore === 'local' ? copyBlobDir(blobDirOf(dir), blobTarget) : { files: 0, bytes: 0 };
      print({ restored: dir, engine: manifest.engine, createdAt: manifest.createdAt, blobs });
    },
  },
};
