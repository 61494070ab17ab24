// On the embedded SQLite store a send is acknowledged, and delivered, only
// once its commit is on disk; the disk flush runs off the event loop, so
// while it is under way the server keeps answering other sockets and
// requests (src/store/sqlite/log-flush.ts). The test holds the flush through
// the server's test hook and watches the real WebSocket and HTTP interfaces.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { client } from '../support/http.ts';
import { makeUser } from '../support/fixtures.ts';
import { testPostgresUrl } from '../support/database.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { online } from '../support/ws.ts';

const hold = {
  on: false,
  waiting: Promise.withResolvers<void>(),
  gate: Promise.withResolvers<void>(),
};

describe('acknowledgement after the disk flush (SQLite)', { skip: testPostgresUrl ? 'the flush hook is the embedded engine’s' : false }, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({
      sqliteWrapFlush: async (flush) => {
        if (hold.on) {
          hold.waiting.resolve();
          await hold.gate.promise;
        }
        await flush();
      },
    });
  });
  after(async () => {
    hold.gate.resolve();
    await server.stop();
  });

  test('a send is acked and delivered only after its commit is flushed; pings, health checks and the other socket are served meanwhile', async () => {
    const [owner, member] = await Promise.all([makeUser(server), makeUser(server)]);
    const created = await client(server.url, owner.token).post('/v1/groups', { name: 'durable', memberIds: [member.id] });
    assert.equal(created.status, 201);
    const groupId = created.body.group.id;
    const sender = await online(server.url, owner.token);
    const reader = await online(server.url, member.token);

    hold.on = true;
    sender.send({ type: 'send', ref: 'r1', message: { groupId, type: 'text', body: { text: 'on disk first' } } });
    await hold.waiting.promise;
    // The commit has run and its flush is held. A history read waits for the connection, so it cannot see the message early.
    let historyAnswered = false;
    const history = client(server.url, member.token)
      .get(`/v1/groups/${groupId}/messages?order=asc`)
      .finally(() => (historyAnswered = true));
    // The event loop is free: both sockets get their pongs, and HTTP answers.
    sender.send({ type: 'ping', data: 'sender' });
    reader.send({ type: 'ping', data: 'reader' });
    assert.equal((await sender.next('pong')).data, 'sender');
    assert.equal((await reader.next('pong')).data, 'reader');
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
    assert.deepEqual(sender.frames.filter((f) => f.type === 'ack' || f.type === 'message'), [], 'acked or delivered before the flush');
    assert.deepEqual(reader.frames.filter((f) => f.type === 'message'), [], 'delivered before the flush');
    assert.equal(historyAnswered, false, 'a read saw the commit before it was on disk');

    hold.on = false;
    hold.gate.resolve();
    const ack = await sender.next('ack');
    assert.equal(ack.ref, 'r1');
    assert.equal(ack.message.body.text, 'on disk first');
    const delivered = await reader.next('message');
    assert.equal(delivered.message.id, ack.message.id);
    const read = await history;
    assert.equal(read.status, 200);
    // After the group's own notices, the message.
    assert.equal(read.body.items.at(-1).id, ack.message.id);
    await Promise.all([sender.close(), reader.close()]);
  });
});

describe('a failed disk flush (SQLite)', { skip: testPostgresUrl ? 'the flush hook is the embedded engine’s' : false }, () => {
  let server: TestServer;
  let failing = false;
  before(async () => {
    server = await startTestServer({
      sqliteWrapFlush: async (flush) => {
        if (failing) throw new Error('EIO: the disk said no');
        await flush();
      },
    });
  });
  after(async () => {
    await server.stop();
  });

  test('the send is not acknowledged, later writes are refused and /readyz says not ready; reads and /healthz go on', async () => {
    const [alice, bob] = await Promise.all([makeUser(server), makeUser(server)]);
    const api = client(server.url, alice.token);
    assert.equal((await api.post(`/v1/users/${bob.id}/messages`, { type: 'text', body: { text: 'before' } })).status, 201);
    assert.equal((await fetch(`${server.url}/readyz`)).status, 200);

    failing = true;
    const refused = await api.post(`/v1/users/${bob.id}/messages`, { type: 'text', body: { text: 'unsure' } });
    assert.ok(refused.status >= 500, `a send whose commit is not on disk answered ${refused.status}`);
    failing = false;
    // Linux may report a later fsync as fine after losing pages: nothing more is written until restart.
    const later = await api.post(`/v1/users/${bob.id}/messages`, { type: 'text', body: { text: 'later' } });
    assert.ok(later.status >= 500, `a write after the failure answered ${later.status}`);
    const ready = await fetch(`${server.url}/readyz`);
    assert.equal(ready.status, 503);
    assert.deepEqual(await ready.json(), { status: 'not ready' });
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
    const history = await client(server.url, bob.token).get(`/v1/users/${alice.id}/messages`);
    assert.equal(history.status, 200);
    assert.ok(history.body.items.some((m: { body: { text?: string } }) => m.body.text === 'before'));
    assert.ok(!history.body.items.some((m: { body: { text?: string } }) => m.body.text === 'later'));
  });
});
