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
  assert.equal(r.target, 'group');
  assert.equal(r.acknowledged, 200);
  assert.equal(r.non2xx, 0);
  assert.equal(r.lost, 0);
  assert.ok(r.stored >= r.acknowledged);
});

test('history pages of 50 are the right ones at random points', async () => {
  const { stdout } = await node('history.ts', { STORE: '2000', REQUESTS: '40', WARMUP: '5' });
  const [r] = firstJson(stdout);
  assert.equal(r.store, 2000);
  assert.equal(r.requests, 40);
  assert.ok(r.p99Ms > 0);
});
