// Shared by the benchmark drivers: start bench/server.ts in a child process,
// a JSON client, and percentile helpers.

import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface BenchServer {
  url: string;
  adminToken: string;
  appId: number;
  seeded?: { users: { id: number; token: string }[]; first: number };
  child: ChildProcess;
  stop(): Promise<void>;
}

export async function startBenchServer(env: Record<string, string> = {}): Promise<BenchServer> {
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', ...(process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean), new URL('./server.ts', import.meta.url).pathname], {
    env: { ...process.env, ...env },
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
