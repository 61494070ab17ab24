// CI-sized runs of the message benchmarks: correctness only (every
// acknowledged send stored, history pages right), not timing.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const node = (script: string, env: Record<string, string>) =>
  run(process.execPath, ['--disable-warning=ExperimentalWarning', new URL(`../../bench/${script}`, import.meta.url).pathname], { env: { ...process.env, ...env }, timeout: 90_000 });

function firstJson(out: string): any {
  const start = out.search(/^[[{]/m);
  const end = Math.max(out.lastIndexOf('\n}'), out.lastIndexOf('\n]'));
  return JSON.parse(out.slice(start, end + 2));
}

test('HTTP send into a group: every acknowledged send is stored', async () => {
  // A fixed number of sends, not a duration: a loaded CI machine may answer none within a second.
  const { stdout } = await node('http-send.ts', { AMOUNT: '200', CONNECTIONS: '8', SENDERS: '4', MEMBERS: '6' });
  const r = firstJson(stdout);
  // What the run measured, not what it was asked: 200 answers, all 201, and the
  // group's lastSeq moved by exactly 200 (gapless seqs: none lost, none doubled).
  assert.equal(r.acknowledged, 200);
  assert.deepEqual([r.non2xx, r.errors, r.timeouts], [0, 0, 0]);
  assert.equal(r.stored, 200, 'the conversation grew by exactly the acknowledged sends');
  assert.equal(r.lost, 0);
  assert.ok(r.durationS > 0 && r.messagesPerSecond > 0, `a rate was measured (${r.messagesPerSecond}/s over ${r.durationS} s)`);
  assert.ok(r.latencyMs.p50 >= 0 && r.latencyMs.p99 >= r.latencyMs.p50 && r.latencyMs.max >= r.latencyMs.p99, `latencies are ordered: ${JSON.stringify(r.latencyMs)}`);
  assert.ok(r.serverCpuSeconds > 0, 'the server process was measured working');
});

test('history pages of 50 are the right ones at random points', async () => {
  // The bench itself fails (non-zero exit, so run() rejects) on any page that
  // is not the 50 messages right before the point asked.
  const { stdout } = await node('history.ts', { STORE: '2000', REQUESTS: '40', WARMUP: '5' });
  const [r] = firstJson(stdout);
  assert.equal(r.conversation, 1000, 'the seeded conversation holds half the store, as the server reported it');
  assert.ok(r.p50Ms > 0 && r.p50Ms <= r.p95Ms && r.p95Ms <= r.p99Ms && r.p99Ms <= r.maxMs, `latencies are ordered: ${JSON.stringify(r)}`);
  // Parley's own /metrics saw the history route answer 200s (45 of them, warm-up included).
  assert.match(r.server.p99Bucket, /^<= \d+(\.\d+)? ms$/);
  assert.match(r.server.under5ms, /^\d+\.\d\d%$/);
});

test('typing benchmark: every signal reaches every other member, with no store write', async () => {
  // 40 users in groups of 10, a signal each every 3 s (beyond the 2 s coalescing), for 4 s; the bench exits non-zero on a lost signal, an error or a write.
  const { stdout } = await run(process.execPath, ['--disable-warning=ExperimentalWarning', new URL('../../bench/presence/typing.ts', import.meta.url).pathname, '40', '10', '3', '4'], { timeout: 90_000 });
  const r = firstJson(stdout);
  assert.equal(r.warmUp.delivered, r.warmUp.expected);
  assert.ok(r.sent > 0 && r.forwarded === r.sent, `every signal went out: ${r.forwarded} of ${r.sent}`);
  assert.equal(r.delivered, r.sent * 9, 'each signal reached the 9 other members');
  assert.equal(r.store.writes, 0);
  assert.equal(r.errors, 0);
  assert.ok(r.serverCpuSeconds > 0);
});
