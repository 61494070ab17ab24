// Typing signals over the WebSocket and HTTP: delivered live to the other
// members of the conversation only, rate-limited per session (coalesced),
// refused for non-members, and never touching the store once the
// membership is known.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { client } from '../support/http.ts';
import { makeUser } from '../support/fixtures.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { online, type WsClient } from '../support/ws.ts';
import { spyOnStore } from '../support/store-spy.ts';

/** A ping answered proves every frame queued before it was read: returns the typing frames among them. */
async function drain(c: WsClient): Promise<any[]> {
  const start = c.frames.length;
  const tag = Math.random().toString(36);
  c.send({ type: 'ping', data: tag });
  for (let f = await c.next(); !(f.type === 'pong' && f.data === tag); f = await c.next());
  return c.frames.slice(start).filter((f) => f.type === 'typing');
}

describe('typing', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  async function groupOf(owner: { token: string }, members: { id: number }[]): Promise<number> {
    const r = await client(server.url, owner.token).post('/v1/groups', { name: 'crew', memberIds: members.map((m) => m.id) });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.group.id;
  }

  test('a typing frame reaches the other members online, not the typist’s own devices nor outsiders', async () => {
    const [alice, bob, carol, zed] = [await makeUser(server), await makeUser(server), await makeUser(server), await makeUser(server)];
    const g = await groupOf(alice, [bob, carol]);
    const [a1, a2, b, c, z] = await Promise.all([online(server.url, alice.token), online(server.url, alice.token), online(server.url, bob.token), online(server.url, carol.token), online(server.url, zed.token)]);
    a1.send({ type: 'typing', groupId: g });
    for (const member of [b, c]) {
      const f = await member.next('typing');
      assert.deepEqual(f, { type: 'typing', conversation: `g:${g}`, groupId: g, userId: alice.id, active: true, ttlMs: 5000 });
    }
    assert.deepEqual(await drain(a2), [], 'not to the typist’s other device');
    assert.deepEqual(await drain(a1), [], 'not back to the typist');
    assert.deepEqual(await drain(z), [], 'not to an outsider');
    a1.send({ type: 'typing', groupId: String(g), active: false });
    assert.equal((await b.next('typing')).active, false);
    await Promise.all([a1, a2, b, c, z].map((x) => x.close()));
  });

  test('a private typing frame reaches the peer under the pair’s conversation key', async () => {
    const [alice, bob] = [await makeUser(server), await makeUser(server)];
    const [a, b] = await Promise.all([online(server.url, alice.token), online(server.url, bob.token)]);
    b.send({ type: 'typing', userId: alice.id });
    const f = await a.next('typing');
    assert.equal(f.conversation, `p:${Math.min(alice.id, bob.id)}:${Math.max(alice.id, bob.id)}`);
    assert.equal(f.userId, bob.id);
    assert.equal(f.groupId, undefined);
    await Promise.all([a.close(), b.close()]);
  });

  test('a non-member is refused with an error frame carrying its ref, and nobody hears it', async () => {
    const [alice, bob, zed] = [await makeUser(server), await makeUser(server), await makeUser(server)];
    const g = await groupOf(alice, [bob]);
    const [b, z] = await Promise.all([online(server.url, bob.token), online(server.url, zed.token)]);
    z.send({ type: 'typing', groupId: g, ref: 't1' });
    const e = await z.next('error');
    assert.equal(e.code, 'not_group_member');
    assert.equal(e.ref, 't1');
    z.send({ type: 'typing', userId: 999_999_999, ref: 't2' });
    assert.equal((await z.next('error')).code, 'user_not_found');
    z.send({ type: 'typing', groupId: g, userId: bob.id, ref: 't3' });
    assert.equal((await z.next('error')).code, 'bad_frame');
    assert.deepEqual(await drain(b), []);
    const r = await client(server.url, zed.token).post(`/v1/groups/${g}/typing`, {});
    assert.equal(r.status, 403, JSON.stringify(r.body));
    assert.equal(r.body.code ?? r.body.error?.code, 'not_group_member');
    await Promise.all([b.close(), z.close()]);
  });

  test('starts closer than the interval are coalesced per session; a stop passes at once', async () => {
    const [alice, bob] = [await makeUser(server), await makeUser(server)];
    const g = await groupOf(alice, [bob]);
    const [a, a2, b] = await Promise.all([online(server.url, alice.token), online(server.url, alice.token), online(server.url, bob.token)]);
    for (let i = 0; i < 5; i++) a.send({ type: 'typing', groupId: g });
    a.send({ type: 'typing', groupId: g, active: false });
    a.send({ type: 'typing', groupId: g, active: false });
    // Another session of the same user has its own limit.
    a2.send({ type: 'typing', groupId: g });
    const got = [await b.next('typing'), await b.next('typing'), await b.next('typing')];
    assert.deepEqual(got.map((f) => f.active).sort(), [false, true, true]);
    // A session's signals keep their order: a start before its stop.
    assert.ok(got.findIndex((f) => f.active) < got.findIndex((f) => !f.active));
    await drain(a);
    await drain(a2);
    assert.deepEqual(await drain(b), [], 'the coalesced starts and the repeated stop never went out');
    assert.ok(server.presence.stats.typingCoalesced >= 5);
    // Over HTTP the token is the session.
    const http = client(server.url, alice.token);
    assert.deepEqual((await http.post(`/v1/groups/${g}/typing`, {})).body, { sent: true });
    assert.deepEqual((await http.post(`/v1/groups/${g}/typing`, { active: true })).body, { sent: false });
    assert.deepEqual((await http.post(`/v1/groups/${g}/typing`, { active: false })).body, { sent: true });
    assert.deepEqual((await http.post(`/v1/users/${bob.id}/typing`, {})).body, { sent: true });
    const viaHttp = (await b.next('typing')).conversation;
    assert.equal(viaHttp, `g:${g}`);
    assert.equal((await http.post(`/v1/groups/${g}/typing`, { active: 'yes' })).status, 400);
    await Promise.all([a.close(), a2.close(), b.close()]);
  });

  test('typing touches the store not at all once the membership is known', async () => {
    const [alice, bob] = [await makeUser(server), await makeUser(server)];
    const g = await groupOf(alice, [bob]);
    const [a, b] = await Promise.all([online(server.url, alice.token), online(server.url, bob.token)]);
    // The first signal checks membership (a read, then cached).
    a.send({ type: 'typing', groupId: g });
    a.send({ type: 'typing', userId: bob.id });
    await b.next('typing');
    await b.next('typing');
    const spy = spyOnStore(server.core.store);
    const before = { ...server.presence.stats };
    // Coalesced starts, then a stop per conversation that goes out: written as
    // one TCP segment (corked), so the server reads the burst in one chunk and
    // the stops queue behind more starts than a session checks at once.
    const tcp = (a.ws as unknown as { _socket: import('node:net').Socket })._socket;
    tcp.cork();
    for (let i = 0; i < 10; i++) {
      a.send({ type: 'typing', groupId: g });
      a.send({ type: 'typing', userId: bob.id });
    }
    a.send({ type: 'typing', groupId: g, active: false });
    a.send({ type: 'typing', userId: bob.id, active: false });
    tcp.uncork();
    assert.equal((await b.next('typing')).active, false);
    assert.equal((await b.next('typing')).active, false);
    // Starts past the session's queue are dropped before the limiter counts them.
    const coalesced = server.presence.stats.typingCoalesced - before.typingCoalesced;
    assert.ok(coalesced >= 16 && coalesced <= 20, `coalesced ${coalesced}`);
    assert.equal(server.presence.stats.typingSent - before.typingSent, 2);
    assert.equal(spy.total(), 0, `store calls: ${JSON.stringify([...spy.calls])}`);
    await Promise.all([a.close(), b.close()]);
  });
});
