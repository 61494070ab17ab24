// Search benchmark (issue 16): p50/p95/p99 of GET /v1/search, HTTP included,
// for a two-character Chinese query, one English word, one English prefix and
// a phrase, by a user who belongs to 100 of 1,000 groups, at each store size
// in STORE (default 100000,1000000) on ENGINE (sqlite, or postgres with
// DATABASE_URL). Requests go one at a time over a keep-alive connection after
// a warm-up; every answer is checked to have hits.
//
//   node --disable-warning=ExperimentalWarning bench/search/search.ts
//   STORE=100000 DATABASE_URL=postgres://postgres@127.0.0.1:5432/test node … bench/search/search.ts
//
// BENCH_KEEP=<name> keeps each seeded store for the next run (server.ts); with
// SEED_ONLY=1 the run seeds (or finds) the stores and measures nothing, so the
// slow seeding can run at low priority and the measurement later on its own.

import http from 'node:http';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { loadAverage } from '../support.ts';

const STORES = (process.env.STORE ?? '100000,1000000').split(',').map(Number);
const REQUESTS = Number(process.env.REQUESTS ?? 500);
const WARMUP = Number(process.env.WARMUP ?? 50);
const QUERIES: Record<string, string> = { chinese2: '周末', englishWord: 'meeting', englishPrefix: 'prob', phrase: '"next week"' };
const SEED_ONLY = process.env.SEED_ONLY === '1';
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

interface Seeded {
  url: string;
  token: string;
  groupIds: number[];
  seed: number;
  seedSeconds: number;
  kept?: boolean;
  indexBytes: number;
  messageBytes: number;
}

async function startSeeded(seed: number): Promise<{ info: Seeded; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', new URL('./server.ts', import.meta.url).pathname], { env: { ...process.env, BENCH_SEED: String(seed) }, stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return { info: JSON.parse(line) as Seeded, stop: () => new Promise((resolve) => (child.once('exit', () => resolve()), child.kill('SIGTERM'))) };
}

function get(url: string, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

const results = [];
for (const store of STORES) {
  const { info, stop } = await startSeeded(store);
  try {
    if (SEED_ONLY) {
      console.error(`store of ${store}: ${info.kept ? 'kept from an earlier seed' : 'seeded'} (${info.seedSeconds} s)`);
      continue;
    }
    const row: Record<string, unknown> = { engine: process.env.DATABASE_URL ? 'postgres' : 'sqlite', store, seedSeconds: info.seedSeconds, keptSeed: info.kept ?? false, indexBytesPerMessage: +(info.indexBytes / store).toFixed(1), messageBytesPerMessage: +(info.messageBytes / store).toFixed(1) };
    for (const [name, q] of Object.entries(QUERIES)) {
      const times: number[] = [];
      for (let i = 0; i < WARMUP + REQUESTS; i++) {
        const t0 = process.hrtime.bigint();
        const r = await get(`${info.url}/v1/search?limit=20&q=${encodeURIComponent(q)}`, info.token);
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        if (r.status !== 200) throw new Error(`search answered ${r.status}: ${r.body}`);
        if ((JSON.parse(r.body) as { items: unknown[] }).items.length === 0) throw new Error(`no hits for ${q}`);
        if (i >= WARMUP) times.push(ms);
      }
      times.sort((a, b) => a - b);
      row[name] = { p50: +pct(times, 50).toFixed(2), p95: +pct(times, 95).toFixed(2), p99: +pct(times, 99).toFixed(2) };
    }
    row.loadAverage = loadAverage();
    results.push(row);
    console.error(JSON.stringify(row));
  } finally {
    await stop();
  }
}
console.log(JSON.stringify(results, null, 2));
agent.destroy();
