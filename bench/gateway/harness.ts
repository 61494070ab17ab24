// Shared by the gateway benchmarks: fork the server process, talk to it, open
// authenticated sessions, percentiles.

import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { memoryProfile } from '../../bin/memory-profile.mjs';

export interface BenchServer {
  url: string;
  child: ChildProcess;
  ask<T = any>(cmd: Record<string, unknown>): Promise<T>;
  stop(): Promise<void>;
}

export async function forkServer(env: Record<string, string> = {}): Promise<BenchServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
  // BENCH_SERVER=relay forks the bare relay (relay-process.ts) instead of Parley.
  const script = process.env.BENCH_SERVER === 'relay' ? './relay-process.ts' : './server-process.ts';
  const relay = process.env.BENCH_SERVER === 'relay';
  const child = fork(new URL(script, import.meta.url), [], {
    env: { ...(relay ? process.env : memoryProfile(process.env).env), PARLEY_DATA_DIR: dataDir, ...env },
    // BENCH_CPU_PROF=<dir> writes the server's CPU profile there (--cpu-prof).
    // Parley starts with the Node flags and environment `parley serve` gives it (PARLEY_MEMORY, bin/memory-profile.mjs);
    // the relay with Node's defaults. BENCH_NODE_FLAGS adds V8/Node flags to either (e.g. --max-semi-space-size=16).
    execArgv: [
      ...(relay ? [] : memoryProfile(process.env).flags),
      '--disable-warning=ExperimentalWarning',
      '--expose-gc',
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
      ...(process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let next = 0;
  const waiting = new Map<number, (body: unknown) => void>();
  const ready = new Promise<{ url: string }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    child.on('message', (m: any) => {
      if (m.ready) resolve(m);
      else waiting.get(m.id)?.(m.body);
    });
  });
  const { url } = await ready;
  return {
    url,
    child,
    ask(cmd) {
      const id = ++next;
      return new Promise((resolve) => {
        waiting.set(id, resolve as (b: unknown) => void);
        child.send({ id, ...cmd });
      });
    },
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.send({ id: ++next, cmd: 'stop' });
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Opens a session: connect with the token, hello, wait for ready. */
export function openSession(url: string, token: string, onFrame?: (data: Buffer) => void): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/v1/ws`, { headers: { authorization: `Bearer ${token}` }, perMessageDeflate: false });
    let live = false;
    ws.on('open', () => ws.send('{"type":"hello"}'));
    ws.on('message', (data: Buffer) => {
      if (!live) {
        if (data.includes('"type":"ready"')) {
          live = true;
          resolve(ws);
        }
        return;
      }
      onFrame?.(data);
    });
    ws.on('error', reject);
    ws.on('close', (code) => {
      if (!live) reject(new Error(`closed with ${code} before ready`));
    });
  });
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export const kib = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;
