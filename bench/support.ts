// Shared by the benchmark drivers: start bench/server.ts in a child process,
// a JSON client, and percentile helpers.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { memoryProfile } from '../bin/memory-profile.mjs';

export interface BenchServer {
  url: string;
  adminToken: string;
  appId: number;
  seeded?: { users: { id: number; token: string }[]; first: number };
  child: ChildProcess;
  stop(): Promise<void>;
}

export async function startBenchServer(env: Record<string, string> = {}): Promise<BenchServer> {
  // With the Node flags and environment `parley serve` gets (PARLEY_MEMORY), then BENCH_NODE_FLAGS.
  const profile = memoryProfile(process.env);
  const child = spawn(process.execPath, [...profile.flags, '--disable-warning=ExperimentalWarning', ...(process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean), new URL('./server.ts', import.meta.url).pathname], {
    env: { ...profile.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  const info = JSON.parse(line) as Omit<BenchServer, 'child' | 'stop'>;
  return {
    ...info,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export async function api<T = any>(base: string, token: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(new URL(path, base), {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as T;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

export async function makeUsers(s: BenchServer, n: number, prefix: string): Promise<{ id: number; token: string }[]> {
  const out = [];
  for (let i = 0; i < n; i++) {
    const u = await api<{ id: number }>(s.url, s.adminToken, 'POST', '/v1/users', { handle: `${prefix}${i}` });
    const t = await api<{ token: string }>(s.url, s.adminToken, 'POST', '/v1/tokens', { userId: u.id });
    out.push({ id: u.id, token: t.token });
  }
  return out;
}

/**
 * CPU time (user + system, seconds) the server process has used: on a shared
 * machine, throughput per CPU-second says what the server does with the time
 * it actually gets. Linux only (/proc); undefined elsewhere.
 */
export function cpuSeconds(pid: number | undefined): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

export const loadAverage = (): string => {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'n/a';
  }
};

/** Holds an flock on `file` (through flock(1)) until the returned function is called. */
export async function takeLock(file: string): Promise<() => void> {
  const holder = spawn('flock', [file, 'sh', '-c', 'echo locked; exec cat'], { stdio: ['pipe', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: holder.stdout! }).once('line', () => resolve());
    holder.once('exit', (code) => reject(new Error(`flock exited with ${code}`)));
  });
  return () => holder.stdin!.end();
}

/** Every thread of a process (libuv's pool and V8's helpers too) back to normal priority. */
export function reniceToNormal(pid: number): void {
  const threads = readdirSync(`/proc/${pid}/task`);
  const r = spawnSync('renice', ['-n', '0', '-p', ...threads]);
  if (r.status !== 0) throw new Error(`renice failed: ${r.stderr}`);
}

/**
 * Gathers the planner's statistics on every table of a PostgreSQL schema.
 * This host's PostgreSQL runs without autovacuum; a live database has
 * statistics on its tables, so the planner gets them here too.
 */
export async function analyzeSchema(url: string, schema: string): Promise<void> {
  const { default: pg } = await import('pg');
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const tables = await admin.query<{ tablename: string }>('select tablename from pg_tables where schemaname = $1', [schema]);
    for (const t of tables.rows) await admin.query(`analyze ${schema}."${t.tablename}"`);
  } finally {
    await admin.end();
  }
}
