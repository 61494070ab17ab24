// Presence: online while a socket session is open anywhere in the cluster,
// offline with last seen when the last one closes; delivered to private peers
// and co-members of small groups only; last seen hidden on request; no store
// write per connect or disconnect (last seen goes in one batch).

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { client } from '../support/http.ts';
import { makeUser } from '../support/fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { online, type WsClient } from '../support/ws.ts';
import { spyOnStore } from '../support/store-spy.ts';

/** The next presence frame about `userId`. */
async function presenceOf(c: WsClient, userId: number): Promise<any> {
  for (;;) {
    const f = await c.next('presence');
    if (f.userId === userId) return f;
  }
}

/** Waits until `c` got presence frames with these users' ids and `online` state after frame `from` (in any order). */
async function awaitAll(c: WsClient, from: number, userIds: number[], isOnline: boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const got = new Set(c.frames.slice(from).filter((f) => f.type === 'presence' && f.online === isOnline).map((f) => f.userId));
    if (userIds.every((u) => got.has(u))) return;
    if (Date.now() > deadline) throw new Error(`not every presence frame came: ${JSON.stringify(c.frames.slice(from))}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A ping answered proves every frame queued before it was read: returns the presence frames among them. */
async function drain(c: WsClient): Promise<any[]> {
  const start = c.frames.length;
  const tag = Math.random().toString(36);
  c.send({ type: 'ping', data: tag });
  for (let f = await c.next(); !(f.type === 'pong' && f.data === tag); f = await c.next());
  return c.frames.slice(start).filter((f) => f.type === 'presence');
}

async function groupOf(server: TestServer, owner: { token: string }, members: { id: number }[]): Promise<number> {
  const r = await client(server.url, owner.token).post('/v1/groups', { name: 'crew', memberIds: members.map((m) => m.id) });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.group.id;
}

async function chat(server: TestServer, from: { token: string }, to: { id: number }): Promise<void> {
  const r = await client(server.url, from.token).post(`/v1/users/${to.id}/messages`, { type: 'text', body: { text: 'hi' } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
}

describe('presence on one node', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ config: { presenceGroupLimit: 3 } });
  });
  after(() => server.stop());

  test('co-members of a small group and private peers hear online and offline, with last seen; others do not', async () => {
    const [alice, bob, carol, dave, zed] = [await makeUser(server), await makeUser(server), await makeUser(server), await makeUser(server), await makeUser(server)];
    await groupOf(server, bob, [alice]);
    await chat(server, carol, alice);
    // A group above the limit (3) does not hear it.
    await groupOf(server, dave, [alice, zed, carol]);
    const [b, c, d, z] = await Promise.all([online(server.url, bob.token), online(server.url, carol.token), online(server.url, dave.token), online(server.url, zed.token)]);
    const a1 = await online(server.url, alice.token);
    for (const peer of [b, c]) assert.deepEqual(await presenceOf(peer, alice.id), { type: 'presence', userId: alice.id, online: true });
    // A second device changes nothing for others; closing one of two neither.
    const a2 = await online(server.url, alice.token);
    await a1.close();
    const before = Date.now();
    await a2.close();
    for (const peer of [b, c]) {
      const f = await presenceOf(peer, alice.id);
      assert.equal(f.online, false);
      assert.ok(f.lastSeenAt >= before - 1000 && f.lastSeenAt <= Date.now(), JSON.stringify(f));
    }
    assert.deepEqual(await drain(b), [], 'one online and one offline, nothing for the device changes');
    for (const outsider of [d, z]) assert.deepEqual((await drain(outsider)).filter((f) => f.userId === alice.id), []);
    await Promise.all([b, c, d, z].map((x) => x.close()));
  });

  test('GET presence: online, then last seen; only for users sharing a conversation; batch form', async () => {
    const [alice, bob, zed] = [await makeUser(server), await makeUser(server), await makeUser(server)];
    await chat(server, bob, alice);
    const http = client(server.url, bob.token);
    const a = await online(server.url, alice.token);
    assert.deepEqual((await http.get(`/v1/users/${alice.id}/presence`)).body, { userId: alice.id, online: true });
    await a.close();
    // The close is seen by the server a moment later.
    let r = await http.get(`/v1/users/${alice.id}/presence`);
    for (let i = 0; i < 100 && r.body.online; i++) r = await http.get(`/v1/users/${alice.id}/presence`);
    assert.equal(r.body.online, false);
    assert.equal(typeof r.body.lastSeenAt, 'number');
    const refused = await http.get(`/v1/users/${zed.id}/presence`);
    assert.equal(refused.status, 403, JSON.stringify(refused.body));
    const batch = await http.get(`/v1/users/presence?ids=${alice.id},${zed.id},${bob.id}`);
    assert.equal(batch.status, 200, JSON.stringify(batch.body));
    assert.deepEqual(batch.body.items.map((i: any) => i.userId), [alice.id, bob.id]);
    assert.deepEqual(batch.body.hidden, [zed.id]);
    assert.equal((await http.get('/v1/users/presence?ids=x')).status, 400);
  });

  test('a user who hides last seen shows only online or offline, to events and queries', async () => {
    const [alice, bob] = [await makeUser(server), await makeUser(server)];
    await chat(server, bob, alice);
    const me = client(server.url, alice.token);
    assert.deepEqual((await me.get('/v1/me/presence')).body, { hideLastSeen: false });
    assert.deepEqual((await me.patch('/v1/me/presence', { hideLastSeen: true })).body, { hideLastSeen: true });
    assert.deepEqual((await me.get('/v1/me/presence')).body, { hideLastSeen: true });
    assert.equal((await me.patch('/v1/me/presence', { hideLastSeen: 'yes' })).status, 400);
    const b = await online(server.url, bob.token);
    const a = await online(server.url, alice.token);
    assert.equal((await presenceOf(b, alice.id)).online, true);
    await a.close();
    assert.deepEqual(await presenceOf(b, alice.id), { type: 'presence', userId: alice.id, online: false });
    await server.presence.lastSeen.flush();
    assert.deepEqual((await client(server.url, bob.token).get(`/v1/users/${alice.id}/presence`)).body, { userId: alice.id, online: false });
    // The user sees their own.
    assert.equal(typeof (await me.get(`/v1/users/${alice.id}/presence`)).body.lastSeenAt, 'number');
    await b.close();
  });

  test('connects and disconnects write nothing; last seen goes to the store in one batch', async () => {
    const users = await Promise.all(Array.from({ length: 5 }, () => makeUser(server)));
    const [watcher] = users;
    for (const u of users.slice(1)) await chat(server, u, watcher);
    await server.presence.lastSeen.flush();
    const w = await online(server.url, watcher.token);
    const spy = spyOnStore(server.core.store);
    for (let round = 0; round < 2; round++) {
      const from = w.frames.length;
      const sockets = await Promise.all(users.slice(1).map((u) => online(server.url, u.token)));
      await awaitAll(w, from, users.slice(1).map((u) => u.id), true);
      await Promise.all(sockets.map((s) => s.close()));
      await awaitAll(w, from, users.slice(1).map((u) => u.id), false);
    }
    assert.equal(spy.writes(), 0, `store calls: ${JSON.stringify([...spy.calls])}`);
    await server.presence.lastSeen.flush();
    assert.equal(spy.calls.get('presence.saveLastSeen'), 1);
    const stored = await server.core.store.presence.getMany(users.slice(1).map((u) => u.id));
    assert.equal(stored.length, 4);
    for (const r of stored) assert.equal(typeof r.lastSeenAt, 'number');
    await w.close();
  });
});

describe('presence across two nodes over Redis', () => {
  let db: TestDatabase;
  let a: TestServer;
  let b: TestServer;
  const busPrefix = `t${randomBytes(5).toString('hex')}`;
  const bus = process.env.PARLEY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  before(async () => {
    db = await createTestDatabase();
    a = await startTestServer({ db, config: { bus, busPrefix, nodeId: 1 } });
    b = await startTestServer({ db, config: { bus, busPrefix, nodeId: 2 } });
  });
  after(async () => {
    await a.stop();
    await b.stop();
    await db.drop();
  });

  test('a user online on one node is online on the other until their last session anywhere closes', async () => {
    const [alice, bob] = [await makeUser(a), await makeUser(a)];
    await groupOf(a, bob, [alice]);
    const bobOnB = await online(b.url, bob.token);
    const aliceOnA = await online(a.url, alice.token);
    assert.deepEqual(await presenceOf(bobOnB, alice.id), { type: 'presence', userId: alice.id, online: true });
    const viaB = client(b.url, bob.token);
    let r = await viaB.get(`/v1/users/${alice.id}/presence`);
    for (let i = 0; i < 100 && !r.body.online; i++) r = await viaB.get(`/v1/users/${alice.id}/presence`);
    assert.equal(r.body.online, true);
    // A second session on B, then the one on A closes: still online.
    const aliceOnB = await online(b.url, alice.token);
    await aliceOnA.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal((await client(a.url, bob.token).get(`/v1/users/${alice.id}/presence`)).body.online, true);
    await aliceOnB.close();
    const off = await presenceOf(bobOnB, alice.id);
    assert.equal(off.online, false);
    r = await client(a.url, bob.token).get(`/v1/users/${alice.id}/presence`);
    for (let i = 0; i < 100 && r.body.online; i++) r = await client(a.url, bob.token).get(`/v1/users/${alice.id}/presence`);
    assert.equal(r.body.online, false);
    assert.equal(r.body.lastSeenAt, off.lastSeenAt, 'the other node knows last seen before any flush');
    await bobOnB.close();
  });

  test('typing on one node reaches a member on the other', async () => {
    const [alice, bob] = [await makeUser(a), await makeUser(a)];
    const g = await groupOf(a, alice, [bob]);
    const [onA, onB] = await Promise.all([online(a.url, alice.token), online(b.url, bob.token)]);
    onA.send({ type: 'typing', groupId: g });
    const f = await onB.next('typing');
    assert.equal(f.userId, alice.id);
    assert.equal(f.conversation, `g:${g}`);
    await Promise.all([onA.close(), onB.close()]);
  });
});
