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
import { connectWs, online, type WsClient } from '../support/ws.ts';

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

    test('a message sent through one node reaches the recipient’s socket on the other, in order', async () => {
      const alice = await makeUser(a);
      const bob = await makeUser(a);
      const bobOnB = await online(b.url, bob.token);
      const aliceOnA = await online(a.url, alice.token);
      for (let i = 1; i <= 20; i++) aliceOnA.send({ type: 'send', ref: `r${i}`, message: { userId: bob.id, type: 'text', body: { text: `m${i}` } } });
      const seqs: number[] = [];
      while (seqs.length < 20) seqs.push((await bobOnB.next('message')).seq);
      assert.deepEqual(seqs, range(1, 20));
      // And the other way: an HTTP send on B reaches Alice's socket on A.
      await client(b.url, bob.token).post(`/v1/users/${alice.id}/messages`, { type: 'text', body: { text: 'back' } });
      let f = await aliceOnA.next('message');
      while (f.seq !== 21) f = await aliceOnA.next('message');
      assert.deepEqual(f.message.body, { text: 'back' });
      await Promise.all([bobOnB.close(), aliceOnA.close()]);
    });

    test('a mute made through one node stops the member’s sends through the other at once, though that node had allowed them', async () => {
      const owner = await makeUser(a);
      const member = await makeUser(a);
      const created = await client(a.url, owner.token).post('/v1/groups', { name: 'rules', memberIds: [member.id] });
      assert.equal(created.status, 201);
      const groupId = created.body.group.id;
      const viaB = client(b.url, member.token);
      // B answers (and caches) "may send" for the member.
      assert.equal((await viaB.post(`/v1/groups/${groupId}/messages`, { type: 'text', body: { text: 'allowed' } })).status, 201);
      assert.equal((await client(a.url, owner.token).post(`/v1/groups/${groupId}/mutes`, { userIds: [member.id], forever: true })).status, 200);
      // The change travels over the bus: well within a second, far below the cache's 30 s.
      const deadline = Date.now() + 2000;
      let r = await viaB.post(`/v1/groups/${groupId}/messages`, { type: 'text', body: { text: 'muted?' } });
      while (r.status === 201 && Date.now() < deadline) {
        await new Promise((x) => setTimeout(x, 20));
        r = await viaB.post(`/v1/groups/${groupId}/messages`, { type: 'text', body: { text: 'muted?' } });
      }
      assert.equal(r.status, 403);
      assert.equal(r.body.error.code, 'member_muted');
    });

    test('a token revoked through one node stops working on the other at once, though that node had it cached', async () => {
      const [alice, bob] = [await makeUser(a), await makeUser(a)];
      const viaB = client(b.url, alice.token);
      // B resolves (and caches) the token for the message routes.
      assert.equal((await viaB.post(`/v1/users/${bob.id}/messages`, { type: 'text', body: { text: 'before' } })).status, 201);
      assert.equal((await client(a.url, alice.token).post('/v1/tokens/self/revoke')).status, 204);
      const deadline = Date.now() + 2000;
      let r = await viaB.post(`/v1/users/${bob.id}/messages`, { type: 'text', body: { text: 'after?' } });
      while (r.status === 201 && Date.now() < deadline) {
        await new Promise((x) => setTimeout(x, 20));
        r = await viaB.post(`/v1/users/${bob.id}/messages`, { type: 'text', body: { text: 'after?' } });
      }
      assert.equal(r.status, 401);
      assert.equal(r.body.error.code, 'token_revoked');
    });

    test('only the node with an interested session subscribes: nothing is broadcast to every node', async () => {
      const u = await makeUser(a);
      const w = await makeUser(a);
      const topic = b.gateway.topics.user(u.id);
      // What node A's bus hands to A's subscribers, topic by topic (a spy around A's own bus).
      const heardOnA: string[] = [];
      const subscribe = a.bus.subscribe.bind(a.bus);
      a.bus.subscribe = (t, handler) => subscribe(t, (payload, from) => (heardOnA.push(t), handler(payload, from)));
      try {
        const before = { a: a.gateway.snapshot().topics, b: b.gateway.snapshot().topics };
        const onB = await online(b.url, u.token);
        const onA = await online(a.url, w.token);
        assert.equal(b.gateway.snapshot().topics, before.b + 1);
        assert.equal(a.gateway.snapshot().topics, before.a + 1, 'A subscribed for its own session only');
        // u's change first, then w's, both committed through A: one publisher, so
        // anything of u's that reached A would have arrived before w's does.
        assert.equal((await client(a.url, u.token).patch('/v1/me', { displayName: 'for B only' })).status, 200);
        assert.equal((await client(a.url, w.token).patch('/v1/me', { displayName: 'for A' })).status, 200);
        assert.equal((await onB.next('event')).event.user.displayName, 'for B only');
        assert.equal((await onA.next('event')).event.user.displayName, 'for A');
        assert.deepEqual(heardOnA.filter((t) => t === topic), [], 'A never received what only B’s session needs');
        assert.ok(heardOnA.includes(a.gateway.topics.user(w.id)), 'A received what its own session needs');
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
        await onA.close();
        await waitFor(async () => b.gateway.snapshot().topics === before.b && a.gateway.snapshot().topics === before.a);
      } finally {
        a.bus.subscribe = subscribe;
      }
    });
  });
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

for (const broker of brokers) {
  test(`over ${broker.name}: stopping a node loses no acknowledged message; its clients resume on the other`, async () => {
    const db = await createTestDatabase();
    const busPrefix = `t${randomBytes(5).toString('hex')}`;
    const a = await startTestServer({ db, config: { bus: broker.url, busPrefix, nodeId: 3 } });
    const b = await startTestServer({ db, config: { bus: broker.url, busPrefix, nodeId: 4 } });
    try {
      const alice = await makeUser(a);
      const bob = await makeUser(a);
      const conversation = `p:${Math.min(alice.id, bob.id)}:${Math.max(alice.id, bob.id)}`;
      // Alice sends from node A, Bob reads on node A; A stops in the middle.
      let sender: WsClient = await online(a.url, alice.token);
      let reader: WsClient = await online(a.url, bob.token);
      const acked = new Set<number>();
      const received: number[] = [];
      let n = 0;
      const sendSome = async (c: WsClient, count: number) => {
        for (let i = 0; i < count; i++) c.send({ type: 'send', ref: `s${++n}`, message: { userId: bob.id, clientId: `k${n}`, type: 'text', body: { text: `m${n}` } } });
      };
      await sendSome(sender, 30);
      // Stop A once the first acks are in, with the rest in flight.
      await sender.next('ack');
      const stopping = a.close();
      const closes = await Promise.all([sender.closed, reader.closed]);
      await stopping;
      assert.deepEqual(closes.map((c) => c.code), [1001, 1001]);
      for (const f of sender.frames) if (f.type === 'ack') acked.add(f.message.seq);
      for (const f of reader.frames) if (f.type === 'message') received.push(f.message.seq);
      assert.deepEqual(received, range(1, received.length), 'what Bob got before the stop was in order');

      // Both reconnect to B: Bob with his position, Alice resends what was not acked (same client ids).
      reader = await connectWs(b.url, bob.token);
      await reader.next('welcome');
      reader.send({ type: 'hello', positions: { [conversation]: received.length } });
      const rest: number[] = [];
      for (let f = await reader.next(); f.type !== 'ready'; f = await reader.next()) if (f.type === 'message') rest.push(f.seq);
      sender = await online(b.url, alice.token);
      n = 0;
      await sendSome(sender, 30); // idempotent: acked ones come back as the originals
      const acks = [];
      while (acks.length < 30) acks.push(await sender.next('ack'));
      const stored = new Set(acks.map((f) => f.message.seq));
      for (const seq of acked) assert.ok(stored.has(seq), `acknowledged seq ${seq} survived`);
      assert.equal(stored.size, 30, 'thirty distinct messages, none duplicated');
      // Bob, resumed on B, gets exactly the rest (replayed, then live), in order, once.
      while (received.length + rest.length < 30) rest.push((await reader.next('message')).seq);
      assert.deepEqual([...received, ...rest], range(1, 30));
      const history = await client(b.url, bob.token).get(`/v1/users/${alice.id}/messages`, { query: { after: 0, limit: 100 } });
      assert.deepEqual(history.body.items.map((m: { body: { text: string } }) => m.body.text), range(1, 30).map((i) => `m${i}`));
      await Promise.all([sender.close(), reader.close()]);
    } finally {
      await b.stop();
      await a.close();
      await db.drop();
    }
  });
}

async function waitFor(check: () => Promise<boolean>, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
