// Parley against the bare relay (relay-process.ts), in the same run, with the
// same load generator: the two are run alternately, round after round, so
// both see the same host; each figure of Parley's is given as a ratio to the
// relay's, and the 1-minute load average is recorded before every run. On a
// shared machine the ratios are what to compare, not the absolute figures.
//
//   node --disable-warning=ExperimentalWarning bench/gateway/versus-relay.ts
//   ROUNDS=2 IDLE=5000 RUN_SECONDS=10 ONLY=fanout|idle SCALE=10  (defaults: 1 round, 5,000 idle sessions, 10 s runs, full load)
//   BENCH_NODE_FLAGS="--max-semi-space-size=4" gives both servers those Node flags.
//
// Targets (issue #17): 1 × 100 at 1,000 msg/s p99 within 1.5× the relay's;
// 200 × 10 at 2,000 msg/s within 2×; idle connection ≤ 4 KiB.

import { execFile } from 'node:child_process';
import { loadavg } from 'node:os';

const ROUNDS = Number(process.env.ROUNDS ?? 1);
const IDLE = Number(process.env.IDLE ?? 5000);
const SECONDS = Number(process.env.RUN_SECONDS ?? 10);
const ONLY = process.env.ONLY;
// SCALE=10 divides both fan-out loads by 10 (1 × 100 at 100 msg/s, 20 × 10 at
// 200 msg/s): on a loaded host the full loads saturate even the relay.
const SCALE = Number(process.env.SCALE ?? 1);
const here = (f: string) => new URL(f, import.meta.url).pathname;

function run(script: string, args: string[], server: 'parley' | 'relay'): Promise<Record<string, any>> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--disable-warning=ExperimentalWarning', here(script), ...args],
      { env: { ...process.env, BENCH_SERVER: server }, maxBuffer: 16 << 20, timeout: 300_000 },
      (err, stdout, stderr) => {
        // fanout.ts prints its result as indented JSON at the end; idle-connections.ts as one line.
        const at = stdout.lastIndexOf('\n{');
        const text = at >= 0 ? stdout.slice(at + 1) : stdout.slice(stdout.indexOf('{'));
        try {
          resolve(JSON.parse(text.slice(0, text.lastIndexOf('}') + 1)));
        } catch {
          reject(new Error(`${script} ${args.join(' ')} on ${server}: ${err?.message ?? ''}\n${stdout}\n${stderr}`));
        }
      },
    );
  });
}

const load = () => loadavg()[0].toFixed(1);
const ratio = (a: number, b: number) => (a / b).toFixed(2);
const rows: string[] = ['| round | benchmark | load (parley / relay) | Parley p50 / p99 ms | relay p50 / p99 ms | p99 ratio | target | lost P/R | server CPU s P/R |', '| --- | --- | --- | --- | --- | --- | --- | --- | --- |'];
const idleRows: string[] = ['| round | sessions | load (parley / relay) | Parley RSS / heap KiB each | relay RSS / heap KiB each | RSS ratio | Parley idle RSS before MiB | relay idle RSS before MiB |', '| --- | --- | --- | --- | --- | --- | --- | --- |'];
const fanouts: [string, string[], number][] = [
  [`1 × 100, ${1000 / SCALE} msg/s`, ['1', '100', '10', String(100 / SCALE), String(SECONDS)], 1.5],
  [`${200 / SCALE} × 10, ${2000 / SCALE} msg/s`, [String(200 / SCALE), '10', '10', '1', String(SECONDS)], 2],
];

for (let round = 1; round <= ROUNDS; round++) {
  if (ONLY !== 'idle') {
    for (const [name, args, target] of fanouts) {
      const lp = load();
      const p = await run('fanout.ts', args, 'parley');
      const lr = load();
      const r = await run('fanout.ts', args, 'relay');
      const row = `| ${round} | ${name} | ${lp} / ${lr} | ${p.latencyMs.p50} / ${p.latencyMs.p99} | ${r.latencyMs.p50} / ${r.latencyMs.p99} | **${ratio(p.latencyMs.p99, r.latencyMs.p99)}** | ≤ ${target} | ${p.lost} / ${r.lost} | ${p.serverCpuSeconds} / ${r.serverCpuSeconds} |`;
      rows.push(row);
      console.log(row);
    }
  }
  if (ONLY !== 'fanout') {
    const lp = load();
    const p = await run('idle-connections.ts', [String(IDLE)], 'parley');
    const lr = load();
    const r = await run('idle-connections.ts', [String(IDLE)], 'relay');
    const row = `| ${round} | ${IDLE} | ${lp} / ${lr} | ${p.rssPerConnectionKiB} / ${p.heapPerConnectionKiB} | ${r.rssPerConnectionKiB} / ${r.heapPerConnectionKiB} | **${ratio(p.rssPerConnectionKiB, r.rssPerConnectionKiB)}** | ${(p.rssBeforeKiB / 1024).toFixed(0)} | ${(r.rssBeforeKiB / 1024).toFixed(0)} |`;
    idleRows.push(row);
    console.log(row);
  }
}
console.log(`\n${new Date().toISOString()}\n`);
if (ONLY !== 'idle') console.log(rows.join('\n'));
if (ONLY !== 'fanout') console.log(`\n${idleRows.join('\n')}`);
