// Three Parley processes on PostgreSQL behind nginx (the shipped
// deploy/nginx/parley.conf), over Redis and then over NATS; every client
// talks to nginx only.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { client } from '../support/http.ts';
import { brokers, skipUnlessCluster, startCluster, type TestCluster } from '../support/cluster.ts';
import { connectWs, type WsClient } from '../support/ws.ts';

const skip = skipUnlessCluster();

for (const [name, bus] of Object.entries(brokers)) {
  describe(`3 processes behind nginx over ${name}`, { skip }, () => {
    let cluster: TestCluster;
    before(async () => {
      cluster = await startCluster({ bus });
    });
    after(async () => {
      await cluster?.stop();
    });

    test('WebSockets through nginx spread over every process, and a group message sent over HTTP reaches each of them in order', async () => {
      const owner = await cluster.user();
      const members = await Promise.all(Array.from({ length: 5 }, () => cluster.user()));
      const created = await client(cluster.url, owner.token).post('/v1/groups', { name: 'behind nginx', memberIds: members.map((m) => m.id) });
      assert.equal(created.status, 201, created.text);
      const groupId = created.body.group.id;
      const sockets: WsClient[] = [];
      const nodesSeen = new Set<string>();
      for (const m of [owner, ...members]) {
        const c = await connectWs(cluster.url, m.token);
        const welcome = await c.next('welcome');
        nodesSeen.add(String(welcome.sessionId).split('.')[0]);
        c.send({ type: 'hello', positions: { [`g:${groupId}`]: 0 } });
        sockets.push(c);
      }
      // nginx's round robin: six connections in a row land on all three processes.
      assert.deepEqual([...nodesSeen].sort(), ['1', '2', '3']);
      const start = await Promise.all(sockets.map(async (c) => (await c.next('ready')).positions[`g:${groupId}`] as number));
      const from = start[0]!;
      assert.ok(start.every((p) => p === from), `every socket replayed up to the same seq: ${start}`);
      for (let i = 1; i <= 15; i++) {
        const r = await client(cluster.url, members[i % members.length]!.token).post(`/v1/groups/${groupId}/messages`, { type: 'text', body: { text: `m${i}` }, clientId: `c${i}` });
        assert.equal(r.status, 201, r.text);
      }
      for (const c of sockets) {
        const got: string[] = [];
        let seq = from;
        while (got.length < 15) {
          const f = await c.next('message');
          assert.equal(f.seq, ++seq, 'in order, no gap, no duplicate');
          got.push(f.message.body.text);
        }
        assert.deepEqual(got, Array.from({ length: 15 }, (_, i) => `m${i + 1}`));
      }
      await Promise.all(sockets.map((c) => c.close()));
    });

    test('sends over a WebSocket through nginx are acknowledged and stored once across processes', async () => {
      const [alice, bob] = [await cluster.user(), await cluster.user()];
      const a = await connectWs(cluster.url, alice.token);
      await a.next('welcome');
      a.send({ type: 'hello' });
      await a.next('ready');
      for (let i = 1; i <= 10; i++) a.send({ type: 'send', ref: `r${i}`, message: { userId: bob.id, type: 'text', body: { text: `w${i}` }, clientId: `w${i}` } });
      // The same client ids again, over plain HTTP through nginx (another process, most likely): acknowledged with the originals.
      const acks = [];
      for (let i = 1; i <= 10; i++) acks.push((await a.next('ack')).message);
      for (let i = 1; i <= 10; i++) {
        const r = await client(cluster.url, alice.token).post(`/v1/users/${bob.id}/messages`, { type: 'text', body: { text: `w${i}` }, clientId: `w${i}` });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.body.id, acks[i - 1].id);
      }
      const h = await client(cluster.url, bob.token).get(`/v1/users/${alice.id}/messages`, { query: { order: 'asc', limit: 50 } });
      assert.deepEqual(h.body.items.map((m: any) => m.body.text), Array.from({ length: 10 }, (_, i) => `w${i + 1}`));
      await a.close();
    });
  });
}
