// The webhooks' cost on the send path (issue 19): HTTP send throughput
// (bench/http-send.ts: 10 senders into one group of 100, 50 connections) with
// - none: no hook, no endpoint (the baseline);
// - moderation: a moderation hook on a local receiver that answers accept at once
//   (one signed POST per send, before the group commit);
// - endpoint: a webhook endpoint for `messages` on a local receiver answering 200 at
//   once (one outbox row per send in the group-commit transaction, plus its delivery).
// Alternated RUNS times so a busy host hurts all alike. The receiver runs in
// this (otherwise idle) process. Reports messages/s and messages per server
// CPU-second, each as a ratio to `none`.
//
//   node --disable-warning=ExperimentalWarning bench/webhooks/send-path.ts

import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const RUNS = Number(process.env.RUNS ?? 3);
const DURATION = process.env.DURATION ?? '8';
const send = new URL('../http-send.ts', import.meta.url).pathname;

let hookCalls = 0;
let deliveries = 0;
const receiver = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    if (req.url === '/moderate') {
      hookCalls++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"action":"accept"}');
    } else {
      deliveries++;
      res.writeHead(200);
      res.end();
    }
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

type Mode = 'none' | 'moderation' | 'endpoint';
const envOf: Record<Mode, Record<string, string>> = { none: {}, moderation: { BENCH_MODERATION_URL: `${base}/moderate` }, endpoint: { BENCH_WEBHOOK_URL: `${base}/deliver` } };

interface Run {
  messagesPerSecond: number;
  messagesPerServerCpuSecond: number;
  latencyMs: { p50: number; p99: number };
  lost: number;
  loadAverageBefore: string;
}

function run(mode: Mode): Promise<Run> {
  // Async so this process keeps answering the hook while the run goes on.
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--disable-warning=ExperimentalWarning', send], { env: { ...process.env, ...envOf[mode], DURATION }, encoding: 'utf8', maxBuffer: 1 << 24 }, (err, out) => {
      if (err) return reject(err);
      resolve(JSON.parse(out.slice(out.indexOf('{'))) as Run);
    });
  });
}

const results: Record<Mode, Run[]> = { none: [], moderation: [], endpoint: [] };
for (let i = 0; i < RUNS; i++) {
  for (const mode of ['none', 'moderation', 'endpoint'] as const) {
    const r = await run(mode);
    results[mode].push(r);
    console.error(`run ${i + 1} ${mode}: ${r.messagesPerSecond} msg/s, ${r.messagesPerServerCpuSecond}/cpu-s, p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms, load ${r.loadAverageBefore}`);
  }
}
receiver.close();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const summary = (mode: Mode) => ({
  messagesPerSecond: results[mode].map((r) => r.messagesPerSecond),
  perCpuSecond: results[mode].map((r) => r.messagesPerServerCpuSecond),
  p50Ms: results[mode].map((r) => r.latencyMs.p50),
  ratioThroughput: +(median(results[mode].map((r) => r.messagesPerSecond)) / median(results.none.map((r) => r.messagesPerSecond))).toFixed(3),
  ratioPerCpuSecond: +(median(results[mode].map((r) => r.messagesPerServerCpuSecond)) / median(results.none.map((r) => r.messagesPerServerCpuSecond))).toFixed(3),
});
console.log(
  JSON.stringify(
    {
      runs: RUNS,
      durationS: Number(DURATION),
      none: summary('none'),
      moderation: summary('moderation'),
      endpoint: summary('endpoint'),
      hookCalls,
      deliveries,
      lost: Object.values(results).flat().reduce((n, r) => n + r.lost, 0),
      loadAverages: Object.values(results).flat().map((r) => r.loadAverageBefore),
    },
    null,
    2,
  ),
);
