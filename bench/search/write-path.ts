// The search index's cost on the write path (issue 16): HTTP send throughput
// (bench/http-send.ts: 10 senders into one group of 100, 50 connections) with
// the index on and with it off (BENCH_SEARCH_INDEX=off makes SearchIndex.put a
// no-op in the server process), alternated RUNS times so a busy host hurts
// both alike. The text is a mixed Chinese/English chat line (25 index terms).
// Reports both ratios: wall-clock messages/s and messages per server
// CPU-second (the cost per message, steadier on a shared machine).
//
//   node --disable-warning=ExperimentalWarning bench/search/write-path.ts

import { execFileSync } from 'node:child_process';

const RUNS = Number(process.env.RUNS ?? 3);
const DURATION = process.env.DURATION ?? '10';
const TEXT = process.env.BENCH_TEXT ?? '明天下午三点开会，记得带上项目报告和预算 see you at the meeting, bring the budget';
const send = new URL('../http-send.ts', import.meta.url).pathname;

function run(index: 'on' | 'off'): { messagesPerSecond: number; messagesPerServerCpuSecond: number; lost: number } {
  const out = execFileSync(process.execPath, ['--disable-warning=ExperimentalWarning', send], { env: { ...process.env, BENCH_SEARCH_INDEX: index, BENCH_TEXT: TEXT, DURATION }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out.slice(out.indexOf('{')));
}

const on: ReturnType<typeof run>[] = [];
const off: ReturnType<typeof run>[] = [];
for (let i = 0; i < RUNS; i++) {
  on.push(run('on'));
  off.push(run('off'));
  console.error(`run ${i + 1}: on ${on[i].messagesPerSecond} msg/s (${on[i].messagesPerServerCpuSecond}/cpu-s), off ${off[i].messagesPerSecond} msg/s (${off[i].messagesPerServerCpuSecond}/cpu-s)`);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const report = {
  runs: RUNS,
  durationS: Number(DURATION),
  on: on.map((r) => r.messagesPerSecond),
  off: off.map((r) => r.messagesPerSecond),
  onPerCpuSecond: on.map((r) => r.messagesPerServerCpuSecond),
  offPerCpuSecond: off.map((r) => r.messagesPerServerCpuSecond),
  ratioThroughput: +(median(on.map((r) => r.messagesPerSecond)) / median(off.map((r) => r.messagesPerSecond))).toFixed(3),
  ratioPerCpuSecond: +(median(on.map((r) => r.messagesPerServerCpuSecond)) / median(off.map((r) => r.messagesPerServerCpuSecond))).toFixed(3),
  lost: [...on, ...off].reduce((n, r) => n + r.lost, 0),
};
console.log(JSON.stringify(report, null, 2));
