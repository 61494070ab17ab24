// Conversation list at scale (issue 17 item 5): a user in 1,000 conversations
// (700 private, 300 groups by default; see conversations-server.ts) opens the
// conversation list — GET /v1/conversations, first page of 50 — ROUNDS times
// (p50/p99), and a brand-new device fetches all of it (pages of 200 through
// `before`/`next`) plus the last 20 messages of the 50 most recent
// conversations, one request at a time, ROUNDS/10 times (wall time each).
//
//   node --disable-warning=ExperimentalWarning bench/stream/conversations.ts
//
// Env: ROUNDS (100), DATABASE_URL for PostgreSQL (a schema is created and
// dropped when it is given as BENCH_DATABASE_URL), BENCH_PRIVATE, BENCH_GROUPS, BENCH_PER.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { api, cpuSeconds, loadAverage } from '../support.ts';

const ROUNDS = Number(process.env.ROUNDS ?? 100);
const pgUrl = process.env.BENCH_DATABASE_URL;

let schema: string | undefined;
let databaseUrl = '';
if (pgUrl) {
  schema = `bench_conv_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const u = new URL(pgUrl);
  u.searchParams.set('options', `-c search_path=${schema}`);
  databaseUrl = u.toString();
}

const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', new URL('./conversations-server.ts', import.meta.url).pathname], {
  env: { ...process.env, DATABASE_URL: databaseUrl },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const info = await new Promise<{ url: string; token: string; engine: string }>((resolve, reject) => {
  createInterface({ input: child.stdout! }).once('line', (l) => resolve(JSON.parse(l)));
  child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
});

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return +s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))].toFixed(2);
};
const timed = async <T>(f: () => Promise<T>): Promise<[T, number]> => {
  const t0 = performance.now();
  const r = await f();
  return [r, performance.now() - t0];
};

try {
  const get = (path: string) => api<any>(info.url, info.token, 'GET', path);
  // Warm: the server's caches (tokens, group rules) as a user who has been online.
  for (let i = 0; i < 5; i++) await get('/v1/conversations?limit=50');
  const cpuBefore = cpuSeconds(child.pid);
  const loadBefore = loadAverage();
  const listMs: number[] = [];
  let first: any;
  for (let i = 0; i < ROUNDS; i++) {
    const [r, ms] = await timed(() => get('/v1/conversations?limit=50'));
    first = r;
    listMs.push(ms);
  }
  const listCpu = (cpuSeconds(child.pid) ?? NaN) - (cpuBefore ?? NaN);
  const deviceMs: number[] = [];
  let conversations = 0;
  let messages = 0;
  for (let i = 0; i < Math.max(1, ROUNDS / 10); i++) {
    const [counted, ms] = await timed(async () => {
      const all: any[] = [];
      let next: number | undefined;
      for (;;) {
        const page = await get(`/v1/conversations?limit=200${next ? `&before=${next}` : ''}`);
        all.push(...page.items);
        next = page.next;
        if (next === undefined || page.items.length === 0) break;
      }
      let n = 0;
      for (const c of all.slice(0, 50)) {
        const path = c.kind === 'group' ? `/v1/groups/${c.groupId}/messages?limit=20` : `/v1/users/${c.peerId}/messages?limit=20`;
        n += (await get(path)).items.length;
      }
      return { conversations: all.length, messages: n };
    });
    conversations = counted.conversations;
    messages = counted.messages;
    deviceMs.push(ms);
  }
  console.log(
    JSON.stringify({
      engine: info.engine,
      // Server CPU per request: what a page costs the server whatever the machine's load.
      firstPage: { items: first.items.length, unreadOfFirst: first.items[0]?.unread, p50Ms: pct(listMs, 50), p99Ms: pct(listMs, 99), maxMs: pct(listMs, 100), rounds: ROUNDS, serverCpuMsPerRequest: +((listCpu * 1000) / ROUNDS).toFixed(2) },
      newDevice: { conversations, messages, p50Ms: pct(deviceMs, 50), maxMs: pct(deviceMs, 100), rounds: deviceMs.length },
      serverCpuSeconds: +((cpuSeconds(child.pid) ?? NaN) - (cpuBefore ?? NaN)).toFixed(2),
      loadAverageBefore: loadBefore,
      loadAverageAfter: loadAverage(),
    }),
  );
} finally {
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
  if (pgUrl && schema) {
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`drop schema ${schema} cascade`);
    await admin.end();
  }
}
