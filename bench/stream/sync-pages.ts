// Sync of a long history: a device that pages everything from position 0
// (GET /v1/sync, `limit` LIMIT) through a user's 200 conversations (100
// private, 100 groups; 500 messages each, interleaved: 100,000 changes),
// ROUNDS times, wall time each; then single pages at three depths (from 0,
// from the middle, near the end, PAGES times each), whose times should not
// depend on how much history lies after the position. Seeded by
// conversations-server.ts (the app also holds 2,000 other people's chats).
//
//   BENCH_LOCK=/work/bench.lock node --disable-warning=ExperimentalWarning bench/stream/sync-pages.ts
//   BENCH_LOCK=… BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test node … bench/stream/sync-pages.ts
//
// Env: ROUNDS (3), PAGES (50), LIMIT (100), BENCH_PER (500), BENCH_PRIVATE
// and BENCH_GROUPS (100 each). BENCH_LOCK=<file>: the server seeds at the
// lowest CPU priority, then the driver takes an flock on the file and puts
// the server back to normal priority before measuring.

import { api, cpuSeconds, loadAverage } from '../support.ts';
import { pct, startSeededServer } from './seeded-server.ts';

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const PAGES = Number(process.env.PAGES ?? 50);
const LIMIT = Number(process.env.LIMIT ?? 100);
const server = await startSeededServer('bench_sync', {
  BENCH_PRIVATE: process.env.BENCH_PRIVATE ?? '100',
  BENCH_GROUPS: process.env.BENCH_GROUPS ?? '100',
  BENCH_PER: process.env.BENCH_PER ?? '500',
  BENCH_OTHERS: process.env.BENCH_OTHERS ?? '2000',
  BENCH_OTHER_USERS: process.env.BENCH_OTHER_USERS ?? '200',
});
const { child, info } = server;

try {
  await server.measure();
  const get = (path: string) => api<any>(info.url, info.token, 'GET', path);
  for (let i = 0; i < 5; i++) await get(`/v1/sync?since=0&limit=${LIMIT}`);
  const cpuBefore = cpuSeconds(child.pid);
  const loadBefore = loadAverage();

  const fullMs: number[] = [];
  let items = 0;
  let pages = 0;
  const positions: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const t0 = performance.now();
    let position = 0;
    items = 0;
    pages = 0;
    for (;;) {
      const page = await get(`/v1/sync?since=${position}&limit=${LIMIT}`);
      items += page.items.length;
      pages++;
      if (round === 0) positions.push(position);
      position = page.position;
      if (!page.more) break;
    }
    fullMs.push(performance.now() - t0);
  }
  const depth: Record<string, { since: number; p50Ms: number; p99Ms: number }> = {};
  for (const [name, since] of [
    ['from0', positions[0]],
    ['middle', positions[Math.floor(positions.length / 2)]],
    ['nearEnd', positions[positions.length - 2] ?? positions[0]],
  ] as const) {
    const ms: number[] = [];
    for (let i = 0; i < PAGES; i++) {
      const t0 = performance.now();
      await get(`/v1/sync?since=${since}&limit=${LIMIT}`);
      ms.push(performance.now() - t0);
    }
    depth[name] = { since, p50Ms: pct(ms, 50), p99Ms: pct(ms, 99) };
  }
  console.log(
    JSON.stringify({
      engine: info.engine,
      limit: LIMIT,
      fullSync: { items, pages, p50Ms: pct(fullMs, 50), maxMs: pct(fullMs, 100), msPerPage: +(pct(fullMs, 50) / pages).toFixed(2), rounds: ROUNDS },
      pageAtDepth: depth,
      serverCpuSeconds: +((cpuSeconds(child.pid) ?? NaN) - (cpuBefore ?? NaN)).toFixed(2),
      loadAverageBefore: loadBefore,
      loadAverageAfter: loadAverage(),
    }),
  );
} finally {
  await server.stop();
}
