// History benchmark: the latency of one page of 50 from a conversation, in a
// store of STORE messages (default: 10,000 then 1,000,000). Half the store is
// the measured conversation; the other half is spread over 99 others. Pages
// are requested one at a time over a keep-alive connection at random points
// (`before=<random seq>`), after a warm-up, and timed end to end (HTTP
// included).
//
//   node --disable-warning=ExperimentalWarning bench/history.ts

import http from 'node:http';
import { startBenchServer } from './support.ts';

const STORES = (process.env.STORE ?? '10000,1000000').split(',').map(Number);
const REQUESTS = Number(process.env.REQUESTS ?? 3000);
const WARMUP = Number(process.env.WARMUP ?? 300);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

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
  const s = await startBenchServer({ BENCH_SEED: String(store), BENCH_SEED_PAIRS: '100', BENCH_SEED_FIRST: String(store / 2) });
  try {
    const [me, peer] = s.seeded!.users;
    const size = s.seeded!.first;
    const times: number[] = [];
    for (let i = 0; i < WARMUP + REQUESTS; i++) {
      const before = 51 + Math.floor(Math.random() * (size - 50));
      const t0 = process.hrtime.bigint();
      const r = await get(`${s.url}/v1/users/${peer.id}/messages?limit=50&before=${before}`, me.token);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (r.status !== 200) throw new Error(`history answered ${r.status}: ${r.body}`);
      const items = (JSON.parse(r.body) as { items: { seq: number }[] }).items;
      if (items.length !== 50 || items[0].seq !== before - 1) throw new Error(`wrong page at ${before}`);
      if (i >= WARMUP) times.push(ms);
    }
    times.sort((a, b) => a - b);
    results.push({ store, conversation: size, requests: REQUESTS, p50Ms: +pct(times, 50).toFixed(2), p99Ms: +pct(times, 99).toFixed(2), maxMs: +times[times.length - 1].toFixed(2) });
  } finally {
    await s.stop();
  }
}
console.log(JSON.stringify(results, null, 2));
if (results.length === 2) console.log(`p99 ratio ${STORES[1]}/${STORES[0]}: ${(results[1].p99Ms / results[0].p99Ms).toFixed(2)}`);
agent.destroy();
