// Retries back off exponentially, with full jitter and a cap, and give up
// after their attempts with the caller's error.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffDelay, untilDone } from '../../src/core/backoff.ts';

const policy = { baseMs: 10, capMs: 100 };

test('the ceiling doubles per retry up to the cap; the delay is a random fraction of it', () => {
  const ceilings = [1, 2, 3, 4, 5, 6, 10].map((retry) => backoffDelay(policy, retry, () => 0.999999));
  assert.deepEqual(ceilings, [9, 19, 39, 79, 99, 99, 99]);
  assert.deepEqual([1, 4, 9].map((retry) => backoffDelay(policy, retry, () => 0)), [0, 0, 0]);
  assert.equal(backoffDelay(policy, 3, () => 0.5), 20);
});

test('untilDone waits a backed-off delay between runs and stops at the first answer', async () => {
  const waits: number[] = [];
  let runs = 0;
  const answer = await untilDone(async (attempt) => (++runs, attempt === 4 ? 'done' : undefined), { attempts: 5, policy, wait: async (ms) => void waits.push(ms) }, () => new Error('never'));
  assert.equal(answer, 'done');
  assert.equal(runs, 4);
  assert.equal(waits.length, 3, 'no wait before the first run');
  waits.forEach((ms, i) => assert.ok(ms >= 0 && ms < policy.baseMs * 2 ** i, `wait ${i + 1} (${ms} ms) is under its ceiling`));
});

test('untilDone gives up after its attempts with the caller\'s error, and lets a run\'s own error through', async () => {
  let runs = 0;
  await assert.rejects(
    untilDone(async () => void runs++, { attempts: 3, policy, wait: async () => {} }, () => new Error('too fast')),
    /too fast/,
  );
  assert.equal(runs, 3);
  await assert.rejects(untilDone(async () => { throw new Error('not found'); }, { attempts: 3, policy }, () => new Error('too fast')), /not found/);
});
