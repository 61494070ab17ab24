// The fan-out benchmark at CI size (correctness only, no timing): several
// senders into one group over their sockets at once; every member's socket
// gets every message exactly once, in seq order, and every send is acked.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { client } from '../support/http.ts';
import { makeUser } from '../support/fixtures.ts';
import { startTestServer } from '../support/server.ts';
import { online } from '../support/ws.ts';

test('5 senders × 20 messages into a group of 20: 2,000 deliveries, none lost, duplicated or reordered', async () => {
  const server = await startTestServer();
  try {
    const users = await Promise.all(Array.from({ length: 20 }, () => makeUser(server)));
    const created = await client(server.url, users[0].token).post('/v1/groups', { name: 'smoke', memberIds: users.slice(1).map((u) => u.id) });
    assert.equal(created.status, 201);
    const groupId = created.body.group.id;
    const sockets = await Promise.all(users.map((u) => online(server.url, u.token)));
    const senders = sockets.slice(0, 5);
    senders.forEach((s, k) => {
      for (let i = 0; i < 20; i++) s.send({ type: 'send', ref: `${k}-${i}`, message: { groupId, clientId: `${k}-${i}`, type: 'text', body: { text: `${k}:${i}` } } });
    });
    for (const s of senders) for (let i = 0; i < 20; i++) assert.equal((await s.next('ack')).type, 'ack');
    const deadline = Date.now() + 10_000;
    for (const c of sockets) {
      while (c.frames.filter((f) => f.type === 'message').length < 100 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      const got = c.frames.filter((f) => f.type === 'message');
      assert.deepEqual(got.map((f) => f.seq), Array.from({ length: 100 }, (_, i) => i + 1));
      // Each sender's messages in the order it sent them.
      for (let k = 0; k < 5; k++) {
        assert.deepEqual(got.filter((f) => f.message.senderId === users[k].id).map((f) => f.message.body.text), Array.from({ length: 20 }, (_, i) => `${k}:${i}`));
      }
    }
    await Promise.all(sockets.map((c) => c.close()));
  } finally {
    await server.stop();
  }
});
