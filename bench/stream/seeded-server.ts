// What the stream benchmarks that read a seeded user's conversations share
// (conversations.ts, sync-pages.ts): a PostgreSQL schema of their own when
// BENCH_DATABASE_URL is set, and conversations-server.ts started as a child
// that seeds, prints its address and serves. With BENCH_LOCK the server seeds
// at the lowest CPU priority; `measure` then takes the machine's lock, gives
// the planner its statistics and puts the server back to normal priority, and
// `stop` ends the server and drops the schema.

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { analyzeSchema, reniceToNormal, takeLock } from '../support.ts';

export interface SeededServer {
  child: ChildProcess;
  info: { url: string; token: string; engine: string };
  /** Before measuring: statistics, the lock, normal priority. */
  measure(): Promise<void>;
  /** After: the lock released, the server stopped, its schema dropped. */
  stop(): Promise<void>;
}

export async function startSeededServer(schemaPrefix: string, env: Record<string, string> = {}): Promise<SeededServer> {
  const pgUrl = process.env.BENCH_DATABASE_URL;
  const lockFile = process.env.BENCH_LOCK;
  let schema: string | undefined;
  let databaseUrl = '';
  if (pgUrl) {
    schema = `${schemaPrefix}_${randomBytes(5).toString('hex')}`;
    await adminQuery(pgUrl, `create schema ${schema}`);
    const u = new URL(pgUrl);
    u.searchParams.set('options', `-c search_path=${schema}`);
    databaseUrl = u.toString();
  }
  const serverArgs = [process.execPath, '--disable-warning=ExperimentalWarning', new URL('./conversations-server.ts', import.meta.url).pathname];
  // `nice` execs node: the child's pid is the server's.
  const child = spawn(lockFile ? 'nice' : serverArgs[0], lockFile ? ['-n', '19', ...serverArgs] : serverArgs.slice(1), {
    env: { ...process.env, DATABASE_URL: databaseUrl, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const info = await new Promise<SeededServer['info']>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (l) => resolve(JSON.parse(l)));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  let release: (() => void) | undefined;
  return {
    child,
    info,
    async measure() {
      if (pgUrl && schema) await analyzeSchema(pgUrl, schema);
      if (lockFile) {
        release = await takeLock(lockFile);
        reniceToNormal(child.pid!);
      }
    },
    async stop() {
      release?.();
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
      if (pgUrl && schema) await adminQuery(pgUrl, `drop schema ${schema} cascade`);
    },
  };
}

async function adminQuery(url: string, text: string): Promise<void> {
  const { default: pg } = await import('pg');
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(text);
  } finally {
    await admin.end();
  }
}

/** The p-th percentile of `xs`, to two decimals. */
export const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return +s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))].toFixed(2);
};
