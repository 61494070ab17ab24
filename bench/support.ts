// Shared by the benchmark drivers: start bench/server.ts in a child process,
// a JSON client, and percentile helpers.

import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
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
