// Messages over the WebSocket: send → ack with the stored message, pushes to
// every device of both parties, and resume without gaps, duplicates or
// reordering (replay after positions, live traffic during the replay, holes
// filled from the store).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { client } from '../support/http.ts';
import { makeUser } from '../support/fixtures.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { connectWs, online, type WsClient } from '../support/ws.ts';

const key = (a: number, b: number) => `p:${Math.min(a, b)}:${Math.max(a, b)}`;
const text = (t: string) => ({ type: 'text', body: { text: t } });

/** Waits for `message` frames of one conversation until `seq`, returns their seqs. */
async function seqsUntil(c: WsClient, conversation: string, seq: number): Promise<number[]> {
  const seqs: number[] = [];
  while (seqs.at(-1) !== seq) {
    const f = await c.next('message');
    if (f.conversation === conversation) seqs.push(f.seq);
    if (seqs.length > seq + 5) break;
  }
  return seqs;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('messages over the WebSocket', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ config: { wsReorderWaitMs: 20 } });
  });
  after(() => server.stop());

  test('send is acked with the stored message; both parties’ devices get it; a resend acks the original', async () => {
    const alice = await makeUser(server);
    const bob = await makeUser(server);
    const { token: bob2 } = await server.core.tokens.issue({ appId: server.appId, kind: 'user', userId: bob.id });
    const a = await online(server.url, alice.token);
    const b1 = await online(server.url, bob.token);
    const b2 = await online(server.url, bob2);
    a.send({ type: 'send', ref: 'r1', message: { userId: bob.id, clientId: 'c-1', ...text('hello bob') } });
    // The ack and the sender's own copy in its ordered stream, in either order.
    const pair = [await a.next(), await a.next()];
    assert.deepEqual(pair.map((f) => f.type).sort(), ['ack', 'message']);
    const ack = pair.find((f) => f.type === 'ack')!;
    assert.equal(ack.ref, 'r1');
    assert.equal(ack.message.seq, 1);
    assert.equal(ack.message.senderId, alice.id);
    assert.equal(ack.message.recipientId, bob.id);
    assert.deepEqual(ack.message.body, { text: 'hello bob' });
    assert.equal(pair.find((f) => f.type === 'message')!.message.id, ack.message.id);
    for (const c of [b1, b2]) {
      const f = await c.next('message');
      assert.equal(f.conversation, key(alice.id, bob.id));
      assert.equal(f.seq, 1);
      assert.equal(f.message.id, ack.message.id);
    }
    a.send({ type: 'send', ref: 'r2', message: { userId: bob.id, clientId: 'c-1', ...text('hello bob') } });
    const again = await a.next('ack');
    assert.equal(again.ref, 'r2');
    assert.equal(again.message.id, ack.message.id);
    // No second push: the next thing Bob sees is the next message.
    await client(server.url, alice.token).post(`/v1/users/${bob.id}/messages`, text('over http'));
    const next = await b1.next('message');
    assert.equal(next.seq, 2);
    assert.deepEqual(next.message.body, { text: 'over http' });
    await Promise.all([a, b1, b2].map((c) => c.close()));
  });

  test('refused sends get an error frame with the ref and core’s code', async () => {
    const alice = await makeUser(server);
    const bob = await makeUser(server);
    const a = await online(server.url, alice.token);
    a.send({ type: 'send', ref: 'x1', message: { userId: 999_999_999, ...text('nobody') } });
    const e1 = await a.next('error');
    assert.deepEqual([e1.ref, e1.code], ['x1', 'user_not_found']);
    a.send({ type: 'send', ref: 'x2', message: { ...text('no target') } });
    const e2 = await a.next('error');
    assert.deepEqual([e2.ref, e2.code], ['x2', 'invalid_argument']);
    // A text over the character limit (5000 by default) to a real user: the text's own limit, named.
    a.send({ type: 'send', ref: 'x3', message: { userId: bob.id, type: 'text', body: { text: 'x'.repeat(5001) } } });
    const e3 = await a.next('error');
    assert.deepEqual([e3.ref, e3.code, e3.details], ['x3', 'invalid_argument', { field: 'body.text' }]);
    // A text within its limit but a payload over the byte limit (16 KiB by default).
    a.send({ type: 'send', ref: 'x4', message: { userId: bob.id, ...text('small'), ext: { pad: 'y'.repeat(17_000) } } });
    const e4 = await a.next('error');
    assert.deepEqual([e4.ref, e4.code], ['x4', 'payload_too_large']);
    assert.match(e4.message, /limit is 16384/);
    // Nothing refused was stored.
    const history = await client(server.url, bob.token).get(`/v1/users/${alice.id}/messages`);
    assert.deepEqual(history.body.items, []);
    a.send({ type: 'ping' });
    await a.next('pong');
    await a.close();
  });

  test('hello with positions replays what was missed, in order, then ready, then live', async () => {
    const alice = await makeUser(server);
    const bob = await makeUser(server);
    const talk = client(server.url, alice.token);
    for (let i = 1; i <= 6; i++) assert.equal((await talk.post(`/v1/users/${bob.id}/messages`, text(`m${i}`))).status, 201);
    const b = await connectWs(server.url, bob.token);
    await b.next('welcome');
    b.send({ type: 'hello', positions: { [key(alice.id, bob.id)]: 2 } });
    const replay = [];
    for (let i = 0; i < 4; i++) replay.push(await b.next());
    assert.deepEqual(replay.map((f) => [f.type, f.seq, f.message.body.text]), [3, 4, 5, 6].map((s) => ['message', s, `m${s}`]));
    assert.deepEqual(await b.next(), { type: 'ready', positions: { [key(alice.id, bob.id)]: 6 } });
    await talk.post(`/v1/users/${bob.id}/messages`, text('m7'));
    assert.equal((await b.next('message')).seq, 7);
    await b.close();
  });

  test('messages committed while the replay runs are neither lost nor duplicated nor reordered', async () => {
    const alice = await makeUser(server);
    const bob = await makeUser(server);
    const talk = client(server.url, alice.token);
    for (let i = 1; i <= 30; i++) await talk.post(`/v1/users/${bob.id}/messages`, text(`m${i}`));
    // Keep sending while Bob connects and replays from seq 0.
    const sending = (async () => {
      for (let i = 31; i <= 90; i++) await talk.post(`/v1/users/${bob.id}/messages`, text(`m${i}`));
    })();
    const b = await connectWs(server.url, bob.token);
    await b.next('welcome');
    b.send({ type: 'hello', positions: { [key(alice.id, bob.id)]: 0 } });
    await sending;
    assert.deepEqual(await seqsUntil(b, key(alice.id, bob.id), 90), range(1, 90));
    await b.close();
  });

  test('a resume beyond the limit replays up to it, then says gap; a conversation not yours says gap', async () => {
    const small = await startTestServer({ config: { wsResumeLimit: 3 } });
    try {
      const alice = await makeUser(small);
      const bob = await makeUser(small);
      const carol = await makeUser(small);
      const talk = client(small.url, alice.token);
      for (let i = 1; i <= 5; i++) await talk.post(`/v1/users/${bob.id}/messages`, text(`m${i}`));
      const b = await connectWs(small.url, bob.token);
      await b.next('welcome');
      b.send({ type: 'hello', positions: { [key(alice.id, bob.id)]: 0, [key(alice.id, carol.id)]: 0 } });
      const frames = [];
      for (let f = await b.next(); f.type !== 'ready'; f = await b.next()) frames.push(f);
      assert.deepEqual(
        frames.map((f) => (f.type === 'message' ? f.seq : [f.type, f.conversation, f.after, f.reason])),
        [1, 2, 3, ['gap', key(alice.id, bob.id), 3, 'resume_limit'], ['gap', key(alice.id, carol.id), 0, 'not_found']],
      );
      // Live messages go on after the gap.
      await talk.post(`/v1/users/${bob.id}/messages`, text('m6'));
      assert.equal((await b.next('message')).seq, 6);
      await b.close();
    } finally {
      await small.stop();
    }
  });

  test('a message that arrives ahead of one whose notification was lost waits, and the hole is read from the store', async () => {
    // A second node on the same database whose notifications reach nobody
    // (another bus prefix): what it commits is exactly a lost notification.
    const deaf = await startTestServer({ db: server.db, config: { busPrefix: 'elsewhere', nodeId: 7 } });
    try {
      const alice = await makeUser(server);
      const bob = await makeUser(server);
      const b = await online(server.url, bob.token);
      await client(server.url, alice.token).post(`/v1/users/${bob.id}/messages`, text('one'));
      assert.equal((await b.next('message')).seq, 1);
      await client(deaf.url, alice.token).post(`/v1/users/${bob.id}/messages`, text('two, unannounced'));
      await client(server.url, alice.token).post(`/v1/users/${bob.id}/messages`, text('three'));
      const two = await b.next('message');
      const three = await b.next('message');
      assert.deepEqual([two.seq, two.message.body.text, three.seq, three.message.body.text], [2, 'two, unannounced', 3, 'three']);
      assert.ok(server.gateway.snapshot().repairs >= 1);
      await b.close();
    } finally {
      await deaf.close();
    }
  });
});
