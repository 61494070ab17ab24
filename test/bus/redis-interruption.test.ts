// Redis pub/sub drops what is published while a subscriber is disconnected:
// the Redis bus must say so (onInterrupted) and keep its subscriptions.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import { openRedisBus, RedisBus } from '../../src/bus/redis/redis-bus.ts';

const url = process.env.PARLEY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

test('a dropped subscriber connection is reported as an interruption, then subscriptions work again', async () => {
  const bus = await openRedisBus(url);
  assert.ok(bus instanceof RedisBus);
  const admin = new Redis(url);
  try {
    const topic = `t${randomBytes(5).toString('hex')}`;
    const got: string[] = [];
    await bus.subscribe(topic, (p) => got.push(p));
    const interrupted = new Promise<void>((resolve) => bus.onInterrupted(resolve));
    const list = (await admin.client('LIST')) as string;
    const line = list.split('\n').find((l) => l.includes(`name=${bus.subscriberName} `));
    assert.ok(line, 'the subscriber connection is listed by name');
    const id = /\bid=(\d+)/.exec(line)![1];
    await admin.client('KILL', 'ID', id);
    await interrupted;
    // Re-subscribed before 'ready': a publish now arrives.
    await admin.publish(topic, 'after');
    const deadline = Date.now() + 3000;
    while (!got.includes('after') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(got, ['after']);
  } finally {
    admin.disconnect();
    await bus.close();
  }
});
