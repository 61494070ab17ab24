// Conversation list at scale (issue 17 item 5): a user in 1,000 conversations
// (700 private, 300 groups by default; see conversations-server.ts) opens the
// conversation list — GET /v1/conversations, first page of 50 — ROUNDS times
// (p50/p99), and a brand-new device fetches all of it (pages of 200 through
// `before`/`next`) plus the last 20 messages of the 50 most recent
// conversations, one request at a time, ROUNDS/10 times (wall time each).
// Then sync: a device back after missing its last 100 changes (GET /v1/sync
// from 100 positions before the newest, ROUNDS times), and a device that
// syncs everything from position 0 in pages of 200 (ROUNDS/10 times).
//
//   node --disable-warning=ExperimentalWarning bench/stream/conversations.ts
//
// Env: ROUNDS (100), BENCH_DATABASE_URL for PostgreSQL (a schema is created
// and dropped), BENCH_PRIVATE, BENCH_GROUPS, BENCH_PER, BENCH_OTHERS,
// BENCH_OTHER_USERS (see conversations-server.ts). BENCH_LOCK=<file>: the
// server seeds at the lowest CPU priority, then the driver takes an flock on
// the file, puts the server back to normal priority and measures, so a shared
// machine's lock is held for the measurement only.

import { api, cpuSeconds, loadAverage } from '../support.ts';
import { pct, startSeededServer } from './seeded-server.ts';

const ROUNDS = Number(process.env.ROUNDS ?? 100);
const server = await startSeededServer('bench_conv');
const { child, info } = server;
const timed = async <T>(f: () => Promise<T>): Promise<[T, number]> => {
  const t0 = performance.now();
  const r = await f();
  return [r, performance.now() - t0];
};

try {
  await server.measure();
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
  // A device back after missing its last 100 changes.
  const newest = first.items[0]?.lastPos ?? 0;
  const backMs: number[] = [];
  let back: any;
  for (let i = 0; i < ROUNDS; i++) {
    const [r, ms] = await timed(() => get(`/v1/sync?since=${Math.max(0, newest - 100)}&limit=100`));
    back = r;
    backMs.push(ms);
  }
  // A device that syncs everything from 0.
  const fromZeroMs: number[] = [];
  let synced = 0;
  for (let i = 0; i < Math.max(1, ROUNDS / 10); i++) {
    const [n, ms] = await timed(async () => {
      let position = 0;
      let count = 0;
      for (;;) {
        const page = await get(`/v1/sync?since=${position}&limit=200`);
        count += page.items.length;
        position = page.position;
        if (!page.more) return count;
      }
    });
    synced = n;
    fromZeroMs.push(ms);
  }
  console.log(
    JSON.stringify({
      engine: info.engine,
      // Server CPU per request: what a page costs the server whatever the machine's load.
      firstPage: { items: first.items.length, unreadOfFirst: first.items[0]?.unread, p50Ms: pct(listMs, 50), p99Ms: pct(listMs, 99), maxMs: pct(listMs, 100), rounds: ROUNDS, serverCpuMsPerRequest: +((listCpu * 1000) / ROUNDS).toFixed(2) },
      newDevice: { conversations, messages, p50Ms: pct(deviceMs, 50), maxMs: pct(deviceMs, 100), rounds: deviceMs.length },
      syncLast100: { items: back.items.length, p50Ms: pct(backMs, 50), p99Ms: pct(backMs, 99), rounds: ROUNDS },
      syncFromZero: { items: synced, p50Ms: pct(fromZeroMs, 50), maxMs: pct(fromZeroMs, 100), rounds: fromZeroMs.length },
      serverCpuSeconds: +((cpuSeconds(child.pid) ?? NaN) - (cpuBefore ?? NaN)).toFixed(2),
      loadAverageBefore: loadBefore,
      loadAverageAfter: loadAverage(),
    }),
  );
} finally {
  await server.stop();
}
