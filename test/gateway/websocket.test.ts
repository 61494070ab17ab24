// The WebSocket gateway over a real socket: authentication, the handshake,
// heartbeats, errors and close codes, pushes of committed events to every
// device of their audience, and slow consumers.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { client } from '../support/http.ts';
import { makeUser } from '../support/fixtures.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { connectWs, online } from '../support/ws.ts';

describe('WebSocket gateway', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ manualClock: true, config: { wsIdleTimeoutMs: 60_000, wsQueueBytes: 65_536, wsMaxFrameBytes: 4096 } });
  });
  after(() => server.stop());

  test('a user token in the Authorization header or ?token= opens a session: welcome, hello, ready', async () => {
    const u = await makeUser(server);
    for (const via of ['header', 'query'] as const) {
      const c = await connectWs(server.url, u.token, { via });
      const welcome = await c.next('welcome');
      assert.equal(welcome.userId, u.id);
      assert.equal(welcome.heartbeatMs, server.config.wsHeartbeatMs);
      assert.equal(welcome.idleTimeoutMs, 60_000);
      assert.equal(welcome.maxFrameBytes, 4096);
      assert.match(welcome.sessionId, /^0\./);
      c.send({ type: 'hello' });
      assert.deepEqual(await c.next('ready'), { type: 'ready', positions: {} });
      c.send({ type: 'ping', data: { t: 42 } });
      assert.deepEqual(await c.next('pong'), { type: 'pong', data: { t: 42 } });
      await c.close();
    }
  });

  test('frames sent right after opening, before the token is checked, are not lost', async () => {
    const u = await makeUser(server);
    const c = await connectWs(server.url, u.token);
    c.send({ type: 'hello' });
    c.send({ type: 'ping', data: 1 });
    await c.next('welcome');
    // The ping is answered at once; ready follows when the session is live.
    const replies = [await c.next(), await c.next()];
    assert.deepEqual(replies.map((f) => f.type).sort(), ['pong', 'ready']);
    assert.deepEqual(replies.find((f) => f.type === 'pong'), { type: 'pong', data: 1 });
    await c.close();
  });

  test('refusals close with a code that says whether to reconnect', async () => {
    const none = await connectWs(server.url, undefined);
    assert.equal((await none.closed).code, 4001);
    const bad = await connectWs(server.url, 'pu_not-a-token', { via: 'query' });
    assert.deepEqual(await bad.closed, { code: 4001, reason: 'the token is not valid' });
    const admin = await connectWs(server.url, server.adminToken);
    assert.equal((await admin.closed).code, 4003);
    const u = await makeUser(server);
    const { token } = await server.core.tokens.issue({ appId: server.appId, kind: 'user', userId: u.id });
    await server.core.tokens.revokeToken(server.appId, token);
    const revoked = await connectWs(server.url, token);
    assert.equal((await revoked.closed).code, 4002);
  });

  test('bad frames get an error frame; frames that cannot be answered close the socket with 4005', async () => {
    const u = await makeUser(server);
    const c = await connectWs(server.url, u.token);
    await c.next('welcome');
    c.send({ type: 'send', ref: 'r1', message: { text: 'hi' } });
    assert.deepEqual(await c.next('error'), { type: 'error', ref: 'r1', code: 'hello_required', message: 'send hello first' });
    c.send({ type: 'send', ref: 'r2', message: 'not an object' });
    const e2 = await c.next('error');
    assert.equal(e2.code, 'bad_frame');
    assert.equal(e2.ref, 'r2');
    c.send({ type: 'hello', positions: { 'g:1': -1 } });
    const e3 = await c.next('error');
    assert.equal(e3.code, 'bad_frame');
    assert.match(e3.message, /g:1/);
    assert.equal((await c.closed).code, 4005);

    const d = await connectWs(server.url, u.token);
    await d.next('welcome');
    d.send('{not json');
    assert.equal((await d.next('error')).code, 'bad_frame');
    assert.equal((await d.closed).code, 4005);

    const e = await connectWs(server.url, u.token);
    await e.next('welcome');
    e.send({ type: 'hello' });
    await e.next('ready');
    e.send({ type: 'hello' });
    assert.equal((await e.closed).code, 4005);
  });

  test('a frame larger than the limit closes with 1009', async () => {
    const u = await makeUser(server);
    const c = await online(server.url, u.token);
    c.send({ type: 'ping', data: 'x'.repeat(5000) });
    assert.equal((await c.closed).code, 1009);
  });

  test("a user's change is pushed to every online device of that user, and to nobody else", async () => {
    const u = await makeUser(server);
    const other = await makeUser(server);
    const { token: second } = await server.core.tokens.issue({ appId: server.appId, kind: 'user', userId: u.id });
    const phone = await online(server.url, u.token);
    const laptop = await online(server.url, second);
    const stranger = await online(server.url, other.token);
    const r = await client(server.url, u.token).patch('/v1/me', { displayName: 'Alice on the road' });
    assert.equal(r.status, 200);
    for (const c of [phone, laptop]) {
      const f = await c.next('event');
      assert.equal(f.event.type, 'user.updated');
      assert.equal(f.event.user.id, u.id);
      assert.equal(f.event.user.displayName, 'Alice on the road');
    }
    // The stranger's socket sees nothing: a ping answered proves no event was queued before it.
    stranger.send({ type: 'ping' });
    await stranger.next('pong');
    assert.deepEqual(stranger.frames.map((f) => f.type), ['welcome', 'ready', 'pong']);
    await Promise.all([phone.close(), laptop.close(), stranger.close()]);
  });

  test('revoking a token closes the sessions using it (4002) and no other', async () => {
    const u = await makeUser(server);
    const { token: second } = await server.core.tokens.issue({ appId: server.appId, kind: 'user', userId: u.id });
    const a = await online(server.url, u.token);
    const b = await online(server.url, second);
    const r = await client(server.url, u.token).post('/v1/tokens/self/revoke');
    assert.ok(r.status < 300, JSON.stringify(r.body));
    assert.deepEqual(await a.closed, { code: 4002, reason: 'token revoked' });
    b.send({ type: 'ping' });
    await b.next('pong');
    await b.close();
  });

  test('a token that expires while connected ends its sessions (4001) and no other', async () => {
    const u = await makeUser(server);
    const issue = (ttlSeconds: number) => server.core.tokens.issue({ appId: server.appId, kind: 'user', userId: u.id, ttlSeconds });
    const short = (await issue(50)).token;
    const lasting = (await issue(3600)).token;
    const live = await online(server.url, short);
    const unready = await connectWs(server.url, short); // expiry ends it before hello too
    await unready.next('welcome');
    const other = await online(server.url, lasting);
    server.clock!.advance(49_000);
    server.gateway.sweep();
    live.send({ type: 'ping' });
    await live.next('pong'); // not yet
    server.clock!.advance(1_000);
    server.gateway.sweep();
    assert.deepEqual(await live.closed, { code: 4001, reason: 'the token has expired' });
    assert.deepEqual(await unready.closed, { code: 4001, reason: 'the token has expired' });
    other.send({ type: 'ping' });
    await other.next('pong');
    // The node's own sweeper does it too, without a test calling sweep().
    const soon = await online(server.url, (await issue(1)).token);
    server.clock!.advance(1_000);
    assert.deepEqual(await soon.closed, { code: 4001, reason: 'the token has expired' });
    await other.close();
  });

  test('a session that sends nothing for the idle timeout is closed with 4004; a pinging one stays', async () => {
    const u = await makeUser(server);
    const quiet = await online(server.url, u.token);
    const chatty = await online(server.url, u.token);
    const never = await connectWs(server.url, u.token); // never says hello
    await never.next('welcome');
    server.clock!.advance(40_000);
    chatty.send({ type: 'ping' });
    await chatty.next('pong');
    server.clock!.advance(25_000);
    server.gateway.sweep();
    assert.deepEqual(await quiet.closed, { code: 4004, reason: 'idle timeout' });
    assert.equal((await never.closed).code, 4004);
    chatty.send({ type: 'ping' });
    await chatty.next('pong');
    await chatty.close();
  });

  test('a client that stops reading is cut off (4008) without holding up anyone else', async () => {
    const u = await makeUser(server);
    const slow = await online(server.url, u.token);
    const fast = await online(server.url, u.token);
    const before = server.gateway.snapshot().slowConsumers;
    // The slow client stops reading: the kernel buffers fill, then the server's queue.
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const me = client(server.url, u.token);
    const big = 'x'.repeat(8_000); // under the profile size limit
    let n = 0;
    while (server.gateway.snapshot().slowConsumers === before && n < 2000) {
      assert.equal((await me.patch('/v1/me', { profile: { big, n: ++n } })).status, 200);
      const f = await fast.next('event');
      assert.equal(f.event.user.profile.n, n, 'the fast client got every update in order');
    }
    assert.ok(server.gateway.snapshot().slowConsumers > before, `cut off after ${n} updates`);
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    const { code } = await slow.closed;
    assert.ok(code === 4008 || code === 1006, `closed with ${code}`);
    await me.patch('/v1/me', { displayName: 'still here' });
    assert.equal((await fast.next('event')).event.user.displayName, 'still here');
    await fast.close();
  });
});

test('stopping the server tells clients to go elsewhere (1001)', async () => {
  const server = await startTestServer();
  try {
    const u = await makeUser(server);
    const c = await online(server.url, u.token);
    await server.close();
    assert.equal((await c.closed).code, 1001);
  } finally {
    await server.stop();
  }
});
