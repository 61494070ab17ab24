// Sends from one socket into one conversation are stored in the order they
// were sent, and a burst of them shares commits instead of paying one commit
// round trip each (core's send lanes). A send that fails in the middle of a
// burst fails alone and lets the ones behind it through, still in order.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { client } from '../support/http.ts';
import { makeUser } from '../support/fixtures.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { online } from '../support/ws.ts';

describe('send order on one socket', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  test('a burst of 200 sends into a group is stored in send order, in far fewer commits than messages', async () => {
    const [owner, member] = await Promise.all([makeUser(server), makeUser(server)]);
    const created = await client(server.url, owner.token).post('/v1/groups', { name: 'order', memberIds: [member.id] });
    assert.equal(created.status, 201);
    const groupId = created.body.group.id;
    const ws = await online(server.url, owner.token);
    const before = server.core.messages.commitStats.batches;
    for (let i = 0; i < 200; i++) ws.send({ type: 'send', ref: `r${i}`, message: { groupId, type: 'text', body: { text: `m${i}` } } });
    const acks: Awaited<ReturnType<typeof ws.next>>[] = [];
    for (let i = 0; i < 200; i++) acks.push(await ws.next('ack'));
    const commits = server.core.messages.commitStats.batches - before;
    // Acks come in send order with increasing seqs.
    assert.deepEqual(acks.map((a) => a.ref), Array.from({ length: 200 }, (_, i) => `r${i}`));
    const seqs = acks.map((a) => a.message.seq);
    assert.deepEqual(seqs, Array.from({ length: 200 }, (_, i) => seqs[0] + i));
    // One commit per message would be 200: the burst shared them.
    assert.ok(commits < 50, `200 sends took ${commits} commits`);
    const history = await client(server.url, member.token).get(`/v1/groups/${groupId}/messages?order=asc&limit=200&after=${seqs[0] - 1}`);
    assert.equal(history.status, 200);
    assert.deepEqual(history.body.items.map((m: { body: { text: string } }) => m.body.text), Array.from({ length: 200 }, (_, i) => `m${i}`));
    await ws.close();
  });

  test('an invalid send in the middle of a burst fails alone; the rest keep their order', async () => {
    const [a, b] = await Promise.all([makeUser(server), makeUser(server)]);
    const ws = await online(server.url, a.token);
    const texts = ['one', 'two', 'x'.repeat(5001), 'three', 'four'];
    texts.forEach((text, i) => ws.send({ type: 'send', ref: `s${i}`, message: { userId: b.id, type: 'text', body: { text } } }));
    const deadline = Date.now() + 5000;
    const answered = () => ws.frames.filter((f) => f.type === 'ack' || f.type === 'error');
    while (answered().length < texts.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    const replies = texts.map((_, i) => answered().find((f) => f.ref === `s${i}`)!);
    assert.equal(replies[2].ref, 's2');
    assert.equal(replies[2].code, 'invalid_argument');
    assert.deepEqual(
      [0, 1, 3, 4].map((i) => [replies[i].ref, replies[i].message.body.text]),
      [['s0', 'one'], ['s1', 'two'], ['s3', 'three'], ['s4', 'four']],
    );
    assert.deepEqual([0, 1, 3, 4].map((i) => replies[i].message.seq), [1, 2, 3, 4]);
    await ws.close();
  });
});
