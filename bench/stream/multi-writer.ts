// Multi-writer benchmark: 1, 2 and 4 Parley processes on ONE PostgreSQL
// database, each taking HTTP sends into private conversations of its own
// (no two senders share a conversation), for DURATION seconds each. Reports
// committed messages/s (counted in the database), p99 send latency (per
// process, autocannon), and where the database's backends spent their time,
// from PostgreSQL's own view: pg_stat_activity sampled every SAMPLE_MS,
// counting the samples of our backends that were busy (running a statement,
// or inside a transaction) and of those the ones waiting on a lock
// (wait_event_type = 'Lock': a row or transaction lock held by another).
//
//   node --disable-warning=ExperimentalWarning bench/stream/multi-writer.ts [processes...]
//
// Env: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test),
// DURATION (s, 10), CONNECTIONS per process (32), SENDERS per process (8),
// PARLEY_DB_POOL per process (6; PostgreSQL's max_connections is shared).
// Each run gets a fresh schema, dropped afterwards.

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import pg from 'pg';
import { api, cpuSeconds, loadAverage } from '../support.ts';

const BASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const DURATION = Number(process.env.DURATION ?? 10);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 32);
const SENDERS = Number(process.env.SENDERS ?? 8);
const POOL = process.env.PARLEY_DB_POOL ?? '6';
const SAMPLE_MS = 50;
const APP_NAME = `parley-stream-bench-${process.pid}`;
const counts = process.argv.slice(2).map(Number);
const runs = counts.length ? counts : [1, 2, 4];

interface Proc {
  url: string;
  adminToken?: string;
  child: ChildProcess;
}

function startProcess(databaseUrl: string, nodeId: number): Promise<Proc> {
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', new URL('./server.ts', import.meta.url).pathname], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PARLEY_NODE_ID: String(nodeId), PARLEY_DB_POOL: POOL, PARLEY_BUS: 'local' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => resolve({ ...(JSON.parse(line) as { url: string; adminToken?: string }), child }));
    child.once('exit', (code) => reject(new Error(`bench process ${nodeId} exited with ${code}`)));
  });
}

const stop = (p: Proc) =>
  new Promise<void>((resolve) => {
    p.child.once('exit', () => resolve());
    p.child.kill('SIGTERM');
  });

/** Samples our backends' states until stopped. */
function sampleActivity(admin: pg.Client) {
  const tally = { samples: 0, busy: 0, lock: 0, events: new Map<string, number>() };
  let running = true;
  const loop = (async () => {
    while (running) {
      const r = await admin.query<{ state: string | null; wait_event_type: string | null; wait_event: string | null }>(
        'select state, wait_event_type, wait_event from pg_stat_activity where application_name = $1 and pid <> pg_backend_pid()',
        [APP_NAME],
      );
      tally.samples += 1;
      for (const b of r.rows) {
        if (b.state !== 'active' && b.state !== 'idle in transaction') continue;
        tally.busy += 1;
        // A backend idle in a transaction waits for its client: named by state, not a wait event.
        const what = b.state === 'idle in transaction' ? 'idle in transaction' : b.wait_event_type ? `${b.wait_event_type}:${b.wait_event}` : 'running';
        tally.events.set(what, (tally.events.get(what) ?? 0) + 1);
        if (b.wait_event_type === 'Lock') tally.lock += 1;
      }
      await new Promise((r) => setTimeout(r, SAMPLE_MS));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      const share = (n: number) => +((100 * n) / Math.max(1, tally.busy)).toFixed(1);
      return {
        samples: tally.samples,
        busyBackendSamples: tally.busy,
        lockWaitPercentOfBusy: share(tally.lock),
        percentOfBusy: Object.fromEntries([...tally.events].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, share(v)])),
      };
    },
  };
}

async function run(processes: number) {
  const schema = `bench_stream_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: BASE_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const u = new URL(BASE_URL);
  u.searchParams.set('options', `-c search_path=${schema}`);
  u.searchParams.set('application_name', APP_NAME);
  const procs: Proc[] = [];
  try {
    procs.push(await startProcess(u.toString(), 1));
    const { url, adminToken } = procs[0];
    if (!adminToken) throw new Error('the first process did not bootstrap');
    for (let i = 2; i <= processes; i++) procs.push(await startProcess(u.toString(), i));

    // Per process: SENDERS senders, each with a peer of their own (a private conversation each).
    const targets: { url: string; path: string; token: string }[][] = [];
    for (let p = 0; p < processes; p++) {
      const mine = [];
      for (let i = 0; i < SENDERS; i++) {
        const mk = async (handle: string) => {
          const user = await api<{ id: number }>(url, adminToken, 'POST', '/v1/users', { handle });
          return { id: user.id, token: (await api<{ token: string }>(url, adminToken, 'POST', '/v1/tokens', { userId: user.id })).token };
        };
        const sender = await mk(`s${p}_${i}`);
        const peer = await mk(`r${p}_${i}`);
        const path = `/v1/users/${peer.id}/messages`;
        await api(procs[p].url, sender.token, 'POST', path, { type: 'text', body: { text: 'first' } });
        mine.push({ url: procs[p].url, path, token: sender.token });
      }
      targets.push(mine);
    }
    const count = async () => Number((await admin.query(`select count(*) as n from ${schema}.messages`)).rows[0].n);
    const before = await count();
    const cpuBefore = procs.map((p) => cpuSeconds(p.child.pid) ?? NaN);
    const loadBefore = loadAverage();
    const sampler = sampleActivity(admin);
    const body = JSON.stringify({ type: 'text', body: { text: 'a benchmark message of a usual chat length, say fifty to eighty chars' } });
    const results = await Promise.all(
      targets.map((mine) => {
        let next = 0;
        return autocannon({
          url: mine[0].url,
          connections: Math.max(1, Math.round(CONNECTIONS)),
          duration: DURATION,
          setupClient: (client) => {
            const t = mine[next++ % mine.length];
            client.setRequests([{ method: 'POST', path: t.path, headers: { 'content-type': 'application/json', authorization: `Bearer ${t.token}` }, body }]);
          },
        });
      }),
    );
    const activity = await sampler.stop();
    const stored = (await count()) - before;
    const acknowledged = results.reduce((n, r) => n + r['2xx'], 0);
    const duration = Math.max(...results.map((r) => r.duration));
    return {
      processes,
      connectionsPerProcess: CONNECTIONS,
      durationS: +duration.toFixed(2),
      acknowledged,
      stored,
      non2xx: results.reduce((n, r) => n + r.non2xx, 0),
      errors: results.reduce((n, r) => n + r.errors, 0),
      committedPerSecond: Math.round(stored / duration),
      p99Ms: results.map((r) => r.latency.p99),
      p50Ms: results.map((r) => r.latency.p50),
      serverCpuSeconds: procs.map((p, i) => +((cpuSeconds(p.child.pid) ?? NaN) - cpuBefore[i]).toFixed(2)),
      database: activity,
      loadAverageBefore: loadBefore,
      loadAverageAfter: loadAverage(),
    };
  } finally {
    for (const p of procs) await stop(p);
    await admin.query(`drop schema ${schema} cascade`);
    await admin.end();
  }
}

const out = [];
for (const n of runs) {
  const r = await run(n);
  console.log(JSON.stringify(r));
  out.push(r);
}
const one = out.find((r) => r.processes === 1);
if (one) for (const r of out) console.error(`${r.processes} process(es): ${r.committedPerSecond} msg/s (×${(r.committedPerSecond / one.committedPerSecond).toFixed(2)}), p99 ${r.p99Ms.join('/')} ms, lock waits ${r.database.lockWaitPercentOfBusy} % of busy backend time`);
