// Redis pub/sub drops what is published while a subscriber is disconnected:
// the Redis bus must say so (onInterrupted) and keep its subscriptions. And a
// publish Redis does not take is never silent: it is reported, it fails at
// once rather than wait in a queue, and the caches that rely on the bus are
// dropped (fail closed).

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import { relayCacheChanges } from '../../src/bus/cache-sync.ts';
import { openRedisBus, RedisBus } from '../../src/bus/redis/redis-bus.ts';
import type { BackgroundFailure } from '../../src/core/background.ts';
import type { Interruption } from '../../src/core/bus.ts';
import { EventHub } from '../../src/core/events.ts';

const url = process.env.PARLEY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function kill(admin: Redis, name: string): Promise<void> {
  const list = (await admin.client('LIST')) as string;
  const line = list.split('\n').find((l) => l.includes(`name=${name} `));
  assert.ok(line, `the connection ${name} is listed by name`);
  await admin.client('KILL', 'ID', /\bid=(\d+)/.exec(line)![1]!);
}

test('a dropped subscriber connection is reported as an interruption, then subscriptions work again', async () => {
  const reported: BackgroundFailure[] = [];
  const bus = await openRedisBus(url, (f) => reported.push(f));
  assert.ok(bus instanceof RedisBus);
  const admin = new Redis(url);
  try {
    const topic = `t${randomBytes(5).toString('hex')}`;
    const got: string[] = [];
    await bus.subscribe(topic, (p) => got.push(p));
    const interrupted = new Promise<Interruption>((resolve) => bus.onInterrupted(resolve));
    await kill(admin, bus.subscriberName);
    assert.deepEqual(await interrupted, { reason: 'reconnected' });
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

test('a publish Redis does not take fails at once, is reported, and drops the caches relying on the bus', async () => {
  const reported: BackgroundFailure[] = [];
  const bus = await openRedisBus(url, (f) => reported.push(f));
  assert.ok(bus instanceof RedisBus);
  const admin = new Redis(url);
  const dropped: string[] = [];
  const stop = await relayCacheChanges(new EventHub(() => {}), bus, `t${randomBytes(5).toString('hex')}.caches`, {
    groupRulesChanged: (g) => dropped.push(`groups ${g ?? 'all'}`),
    tokenRevoked: (t) => dropped.push(`tokens ${t ?? 'all'}`),
  });
  try {
    const causes: Interruption[] = [];
    bus.onInterrupted((c) => causes.push(c));
    // Redis no longer answers the publisher: the client reconnects, and nothing waits in a queue meanwhile.
    await admin.client('PAUSE', '60000', 'WRITE');
    const topic = `t${randomBytes(5).toString('hex')}`;
    const pending = bus.publishConfirmed(topic, 'held?');
    await kill(admin, bus.publisherName);
    assert.equal(await pending, false, 'the publish in flight fails when its connection goes');
    await admin.client('UNPAUSE');
    assert.equal(reported.filter((f) => f.task === 'bus_publish').length, 1);
    const failure = reported.find((f) => f.task === 'bus_publish')!;
    assert.deepEqual(failure.subject, { topic, bus: 'redis' });
    assert.deepEqual(causes[0], { reason: 'publish_failed', topic });
    assert.deepEqual(dropped.slice(0, 2), ['groups all', 'tokens all'], 'the caches fail closed');
    // Back: the publisher's reconnect is an interruption too, and publishes work again.
    const deadline = Date.now() + 5000;
    while (!causes.some((c) => c.reason === 'reconnected') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.ok(causes.some((c) => c.reason === 'reconnected'), 'the publisher came back');
    assert.equal(await bus.publishConfirmed(topic, 'again'), true);
  } finally {
    await admin.client('UNPAUSE').catch(() => {});
    stop();
    admin.disconnect();
    await bus.close();
  }
});
