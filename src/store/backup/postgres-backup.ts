// PostgreSQL backups go through PostgreSQL's own tools: pg_dump takes one
// snapshot (every transaction committed before it started, none after), in
// the custom format pg_restore reads. Both must be on PATH (Debian:
// postgresql-client). A URL that sets `search_path` (options=-c search_path=…)
// names the one schema Parley uses; only that schema is dumped.

import { spawn } from 'node:child_process';
import { pg } from '../postgres/pg.ts';

/** The schema a URL's `options` parameter selects, if any. */
export function schemaOf(url: string): string | undefined {
  const options = new URL(url).searchParams.get('options') ?? '';
  return /search_path\s*=\s*([A-Za-z_][A-Za-z0-9_]*)/.exec(options)?.[1];
}

/**
 * The URL as libpq reads it: WHATWG URLs write a space in the query as `+`,
 * which libpq takes literally (`-c+search_path=…` is refused); `%20` it decodes.
 */
function libpqUrl(url: string): string {
  const u = new URL(url);
  u.search = u.searchParams.toString().replace(/\+/g, '%20');
  return u.toString();
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e: NodeJS.ErrnoException) => reject(e.code === 'ENOENT' ? new Error(`${command} is not installed (Debian: apt-get install postgresql-client)`) : e));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}: ${stderr.trim()}`))));
  });
}

export async function dumpPostgres(url: string, file: string): Promise<void> {
  const schema = schemaOf(url);
  await run('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${file}`, ...(schema ? [`--schema=${schema}`] : []), `--dbname=${libpqUrl(url)}`]);
}

/** Tables already in the schema the URL uses: a restore goes into an empty one. */
export async function postgresTables(url: string): Promise<number> {
  const client = new (pg().Client)({ connectionString: url });
  await client.connect();
  try {
    const r = await client.query<{ n: string }>("SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = coalesce($1, current_schema())", [schemaOf(url) ?? null]);
    return Number(r.rows[0].n);
  } finally {
    await client.end();
  }
}

export async function restorePostgres(url: string, file: string, opts: { clean: boolean }): Promise<void> {
  await run('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', ...(opts.clean ? ['--clean', '--if-exists'] : []), `--dbname=${libpqUrl(url)}`, file]);
  const client = new (pg().Client)({ connectionString: url });
  await client.connect();
  try {
    // The processes that held node ids at backup time are gone (floors kept).
    await client.query('UPDATE node_leases SET expires_at = 0');
  } finally {
    await client.end();
  }
}

/** Servers whose node-id lease is still live on this database. */
export async function livePostgresServers(url: string, now: number): Promise<{ nodeId: number; host: string; pid: number }[]> {
  const client = new (pg().Client)({ connectionString: url });
  await client.connect();
  try {
    const exists = await client.query("SELECT 1 FROM information_schema.tables WHERE table_schema = coalesce($1, current_schema()) AND table_name = 'node_leases'", [schemaOf(url) ?? null]);
    if (exists.rowCount === 0) return [];
    const r = await client.query<{ node_id: number; host: string; pid: number }>("SELECT node_id, host, pid FROM node_leases WHERE role = 'server' AND expires_at > $1", [now]);
    return r.rows.map((row) => ({ nodeId: Number(row.node_id), host: row.host, pid: Number(row.pid) }));
  } finally {
    await client.end();
  }
}
