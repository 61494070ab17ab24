// Two Parley nodes sharing one database and one broker (Redis, then NATS):
// what is committed through one reaches WebSocket clients on the other, and
// a node subscribes only to the topics its own sessions need.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { after, before, describe, test } from 'node:test';
import { client } from '../support/http.ts';
import { makeUser } from '../support/fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { online } from '../support/ws.ts';

const brokers = [
  { name: 'Redis', url: process.env.PARLEY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379' },
  { name: 'NATS', url: process.env.PARLEY_TEST_NATS_URL ?? 'nats://127.0.0.1:4222' },
];

for (const broker of brokers) {
  describe(`two nodes over ${broker.name}`, () => {
    let db: TestDatabase;
    let a: TestServer;
    let b: TestServer;
    // A prefix of our own: other test runs share the broker.
    const busPrefix = `t${randomBytes(5).toString('hex')}`;
    before(async () => {
      db = await createTestDatabase();
      a = await startTestServer({ db, config: { bus: broker.url, busPrefix, nodeId: 1 } });
      b = await startTestServer({ db, config: { bus: broker.url, busPrefix, nodeId: 2 } });
    });
    after(async () => {
      await a.stop();
      await b.stop();
      await db.drop();
    });

    test('a change committed on one node reaches the user’s devices on both nodes', async () => {
      const u = await makeUser(a);
      const onA = await online(a.url, u.token);
      const onB = await online(b.url, u.token);
      const r = await client(a.url, u.token).patch('/v1/me', { displayName: 'via A' });
      assert.equal(r.status, 200);
      for (const c of [onA, onB]) assert.equal((await c.next('event')).event.user.displayName, 'via A');
      await client(b.url, u.token).patch('/v1/me', { displayName: 'via B' });
      for (const c of [onA, onB]) assert.equal((await c.next('event')).event.user.displayName, 'via B');
      await Promise.all([onA.close(), onB.close()]);
    });

    test('revoking a token on one node closes its session on the other', async () => {
      const u = await makeUser(a);
      const onB = await online(b.url, u.token);
      await client(a.url, u.token).post('/v1/tokens/self/revoke');
      assert.equal((await onB.closed).code, 4002);
    });

    test('only the node with an interested session subscribes: nothing is broadcast to every node', async () => {
      const u = await makeUser(a);
      const topic = b.gateway.topics.user(u.id);
      const before = { a: a.gateway.snapshot().topics, b: b.gateway.snapshot().topics };
      const onB = await online(b.url, u.token);
      assert.equal(b.gateway.snapshot().topics, before.b + 1);
      assert.equal(a.gateway.snapshot().topics, before.a);
      if (broker.name === 'Redis') {
        const redis = new Redis(broker.url);
        try {
          assert.deepEqual(await redis.pubsub('NUMSUB', topic), [topic, 1]);
          await onB.close();
          await waitFor(async () => ((await redis.pubsub('NUMSUB', topic)) as [string, number])[1] === 0);
        } finally {
          redis.disconnect();
        }
      } else {
        await onB.close();
      }
      await waitFor(async () => b.gateway.snapshot().topics === before.b);
    });
  });
}

async function waitFor(check: () => Promise<boolean>, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
