import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { client } from '../../support/http.ts';
import { createTestDatabase } from '../../support/database.ts';

describe('native password accounts', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ manualClock: true, config: { authRatePerIp: 1000, authRatePerHandle: 3 } });
  });
  after(() => s.stop());

  test('sign up, use the token, sign out, sign in again', async () => {
    const anon = client(s.url);
    const up = await anon.post('/v1/auth/signup', { handle: 'alice', password: 'correct horse', displayName: 'Alice A' });
    assert.equal(up.status, 201);
    assert.equal(up.body.user.handle, 'alice');
    assert.equal(up.body.user.displayName, 'Alice A');
    assert.equal('passwordHash' in up.body.user, false);
    assert.ok(up.body.token.startsWith('pu_'));
    assert.equal(up.body.user.id, (await client(s.url, up.body.token).get('/v1/me')).body.id);
    assert.equal((await s.core.users.get(s.appId, up.body.user.id)).appId, s.appId, 'lands in the default app');

    const out = await client(s.url, up.body.token).post('/v1/tokens/self/revoke');
    assert.equal(out.status, 204);
    assert.equal((await client(s.url, up.body.token).get('/v1/me')).status, 401);

    const back = await anon.post('/v1/auth/login', { handle: 'alice', password: 'correct horse' });
    assert.equal(back.status, 200);
    assert.equal(back.body.user.id, up.body.user.id);
    assert.notEqual(back.body.token, up.body.token);
    assert.equal((await client(s.url, back.body.token).get('/v1/me')).status, 200);
  });

  test('a wrong password and an unknown user get the same 401', async () => {
    const anon = client(s.url);
    await anon.post('/v1/auth/signup', { handle: 'bob', password: 'bobs password' });
    const wrong = await anon.post('/v1/auth/login', { handle: 'bob', password: 'not his password' });
    const nobody = await anon.post('/v1/auth/login', { handle: 'nobody', password: 'whatever123' });
    assert.equal(wrong.status, 401);
    assert.equal(nobody.status, 401);
    assert.equal(wrong.body.error.code, 'invalid_credentials');
    assert.deepEqual(wrong.body, nobody.body);
  });

  test('a user made without a password cannot sign in with one', async () => {
    await s.core.users.create(s.appId, { handle: 'nopass' });
    const r = await client(s.url).post('/v1/auth/login', { handle: 'nopass', password: 'anything at all' });
    assert.equal(r.status, 401);
  });

  test('bad sign-ups are refused and create nothing', async () => {
    const anon = client(s.url);
    const before = await s.core.users.list(s.appId, { limit: 200 });
    const cases: [unknown, number, string][] = [
      [{ handle: 'carl', password: 'short' }, 400, 'invalid_argument'],
      [{ handle: 'has space', password: 'long enough' }, 400, 'invalid_argument'],
      [{ password: 'long enough' }, 400, 'invalid_argument'],
      [{ handle: 'carl', password: 'long enough', admin: true }, 400, 'invalid_argument'],
      [{ handle: 'alice', password: 'long enough' }, 409, 'handle_taken'],
    ];
    for (const [body, status, code] of cases) {
      const r = await anon.post('/v1/auth/signup', body);
      assert.equal(r.status, status, JSON.stringify(body));
      assert.equal(r.body.error.code, code, JSON.stringify(body));
    }
    assert.equal((await s.core.users.list(s.appId, { limit: 200 })).total, before.total);
  });

  test('failed sign-ins per username are limited, then allowed again after a minute', async () => {
    const anon = client(s.url);
    await anon.post('/v1/auth/signup', { handle: 'dora', password: 'doras password' });
    for (let i = 0; i < 3; i++) assert.equal((await anon.post('/v1/auth/login', { handle: 'dora', password: 'guess number ' + i })).status, 401);
    const limited = await anon.post('/v1/auth/login', { handle: 'dora', password: 'doras password' });
    assert.equal(limited.status, 429);
    assert.equal(limited.body.error.code, 'rate_limited');
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    // Another username from the same address is not affected.
    assert.equal((await anon.post('/v1/auth/login', { handle: 'bob', password: 'bobs password' })).status, 200);
    s.clock!.advance(61_000);
    assert.equal((await anon.post('/v1/auth/login', { handle: 'dora', password: 'doras password' })).status, 200);
  });
});

describe('native password accounts: limits per address and closed sign-up', () => {
  test('attempts per client address are limited', async () => {
    const s = await startTestServer({ manualClock: true, config: { authRatePerIp: 2 } });
    try {
      const anon = client(s.url);
      assert.equal((await anon.post('/v1/auth/signup', { handle: 'erin', password: 'erins password' })).status, 201);
      assert.equal((await anon.post('/v1/auth/login', { handle: 'erin', password: 'erins password' })).status, 200);
      const third = await anon.post('/v1/auth/signup', { handle: 'fred', password: 'freds password' });
      assert.equal(third.status, 429);
      assert.equal(third.body.error.code, 'rate_limited');
      await assert.rejects(s.core.users.getByHandle(s.appId, 'fred'));
      s.clock!.advance(60_000);
      assert.equal((await anon.post('/v1/auth/signup', { handle: 'fred', password: 'freds password' })).status, 201);
    } finally {
      await s.stop();
    }
  });

  test('sign-up can be closed, and accounts can go to a configured app', async () => {
    const closed = await startTestServer({ config: { signup: false } });
    try {
      const r = await client(closed.url).post('/v1/auth/signup', { handle: 'gus', password: 'guss password' });
      assert.equal(r.status, 403);
    } finally {
      await closed.stop();
    }
    const db = await createTestDatabase();
    const first = await startTestServer({ db });
    const other = await first.core.apps.create('other');
    await first.stop();
    const s = await startTestServer({ db, config: { signupApp: other.id } });
    try {
      const r = await client(s.url).post('/v1/auth/signup', { handle: 'hal', password: 'hals password' });
      assert.equal(r.status, 201);
      assert.equal((await s.core.users.getByHandle(other.id, 'hal')).id, r.body.user.id);
      await assert.rejects(s.core.users.getByHandle(s.appId, 'hal'));
    } finally {
      await s.stop();
      await db.drop();
    }
  });
});
