// The sign-in limits (issue 12 items 2-5, 14): counted before the slow hash,
// per (address, username) pair with a looser per-username ceiling, the same
// work for unknown users, and the same limits and sign-up switch on every
// dialect's password routes.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../../src/core/clock.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { client } from '../../support/http.ts';
import { lanying } from '../../support/lanying.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { randomBytes } from 'node:crypto';

/** A sign-in from a given client address (Fastify's inject sets req.ip). */
async function logIn(s: TestServer, from: string, handle: string, password: string) {
  const r = await s.app.inject({ method: 'POST', url: '/v1/auth/login', remoteAddress: from, payload: { handle, password } });
  return { status: r.statusCode, body: r.json() as { error?: { code: string }; user?: { handle: string } } };
}

describe('sign-in limits', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ manualClock: true, config: { authRatePerIp: 1000, authRatePerHandle: 10, authRatePerUser: 14 } });
    await s.core.users.create(s.appId, { handle: 'vic', password: 'vics password' });
    await s.core.users.create(s.appId, { handle: 'wanda', password: 'wandas password' });
  });
  after(() => s.stop());

  test('40 simultaneous wrong passwords for one user: 10 are checked, 30 refused with 429 before any hashing', async () => {
    const checks = s.core.users.stats.passwordChecks;
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => client(s.url).post('/v1/auth/login', { handle: 'vic', password: `guess ${i}` })));
    const statuses = answers.map((r) => r.status);
    assert.equal(statuses.filter((x) => x === 401).length, 10, statuses.join(','));
    assert.equal(statuses.filter((x) => x === 429).length, 30, statuses.join(','));
    for (const r of answers.filter((a) => a.status === 429)) {
      assert.equal(r.body.error.code, 'rate_limited');
      assert.ok(Number(r.headers.get('retry-after')) >= 1);
    }
    assert.equal(s.core.users.stats.passwordChecks - checks, 10, 'refused attempts cost no hash');
    s.clock!.advance(60_000);
  });

  test('a guesser locks out only their own address; the right password from another address gets in', async () => {
    for (let i = 0; i < 10; i++) assert.equal((await logIn(s, '10.0.0.1', 'wanda', `guess ${i}`)).status, 401);
    const guesser = await logIn(s, '10.0.0.1', 'wanda', 'wandas password');
    assert.equal(guesser.status, 429);
    assert.equal(guesser.body.error?.code, 'rate_limited');
    const owner = await logIn(s, '10.0.0.2', 'wanda', 'wandas password');
    assert.equal(owner.status, 200);
    assert.equal(owner.body.user?.handle, 'wanda');
  });

  test('guessing spread over addresses meets the per-username ceiling', async () => {
    // 10 failures are counted above (the right password gave its attempt back); 4 more reach the ceiling of 14.
    for (let i = 0; i < 4; i++) assert.equal((await logIn(s, `10.0.1.${i}`, 'wanda', `spread ${i}`)).status, 401);
    const ceiling = await logIn(s, '10.0.2.1', 'wanda', 'wandas password');
    assert.equal(ceiling.status, 429);
    assert.equal(ceiling.body.error?.code, 'rate_limited');
    // Other users are untouched, and a minute later the ceiling is lifted.
    assert.equal((await logIn(s, '10.0.2.1', 'vic', 'vics password')).status, 200);
    s.clock!.advance(60_000);
    assert.equal((await logIn(s, '10.0.2.1', 'wanda', 'wandas password')).status, 200);
  });

  test('an unknown user costs the same password hash as a wrong password', async () => {
    s.clock!.advance(60_000);
    const before = s.core.users.stats.passwordChecks;
    const unknown = await client(s.url).post('/v1/auth/login', { handle: 'nobody-here', password: 'whatever123' });
    const wrong = await client(s.url).post('/v1/auth/login', { handle: 'vic', password: 'not vics password' });
    assert.equal(unknown.status, 401);
    assert.deepEqual(unknown.body, wrong.body);
    assert.equal(s.core.users.stats.passwordChecks - before, 2, 'one scrypt each');
    const byId = await lanying(s.url, { appId: s.appId }).post('/token/id', { user_id: 987654321, password: 'whatever123' });
    assert.equal(byId.body.code, 10000);
    assert.equal(s.core.users.stats.passwordChecks - before, 3, 'an unknown lanying user id costs one scrypt too');
  });
});

describe('sign-in limits hold on the lanying token routes and share their counts with native sign-in', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ manualClock: true, config: { authRatePerIp: 1000, authRatePerHandle: 3 } });
  });
  after(() => s.stop());

  test('wrong passwords through /token/user, /token/login and /token/id count against one limit', async () => {
    const anon = lanying(s.url, { appId: s.appId });
    const reg = await anon.post('/user/register/v2', { username: 'xena', password: 'xenas password' });
    assert.equal(reg.body.code, 200);
    const userId = reg.body.data.user_id;
    assert.equal((await anon.post('/token/user', { name: 'xena', password: 'guess one' })).body.code, 10000);
    assert.equal((await anon.post('/token/login', { login_name: 'xena', password: 'guess two' })).body.code, 10000);
    assert.equal((await anon.post('/token/id', { user_id: userId, password: 'guess three' })).body.code, 10000);
    for (const [path, body] of [
      ['/token/user', { name: 'xena', password: 'xenas password' }],
      ['/token/login', { login_name: 'xena', password: 'xenas password' }],
      ['/token/id', { user_id: userId, password: 'xenas password' }],
    ] as const) {
      const r = await anon.post(path, body);
      assert.equal(r.body.code, 10010, `${path}: ${r.text}`);
      assert.match(r.body.message, /too many attempts/);
      assert.equal(r.body.data ?? null, null);
    }
    const native = await client(s.url).post('/v1/auth/login', { handle: 'xena', password: 'xenas password' });
    assert.equal(native.status, 429);
    s.clock!.advance(60_000);
    const r = await anon.post('/token/user', { name: 'xena', password: 'xenas password' });
    assert.equal(r.body.code, 200);
    assert.equal(r.body.data.user_id, userId);
  });
});

describe('every way to create an account obeys the sign-up switch and the address limit', () => {
  test('lanying /user/register/v2 is refused when PARLEY_SIGNUP=false, and creates nothing', async () => {
    const s = await startTestServer({ config: { signup: false } });
    try {
      const r = await lanying(s.url, { appId: s.appId }).post('/user/register/v2', { username: 'yuri', password: 'yuris password' });
      assert.equal(r.body.code, 10010, r.text);
      assert.match(r.body.message, /sign-up is closed/);
      await assert.rejects(s.core.users.getByHandle(s.appId, 'yuri'));
      const native = await client(s.url).post('/v1/auth/signup', { handle: 'yuri', password: 'yuris password' });
      assert.equal(native.status, 403);
    } finally {
      await s.stop();
    }
  });

  test('lanying registrations count against the same per-address limit as native sign-ups', async () => {
    const s = await startTestServer({ manualClock: true, config: { authRatePerIp: 2 } });
    try {
      const anon = lanying(s.url, { appId: s.appId });
      assert.equal((await anon.post('/user/register/v2', { username: 'zed_1', password: 'zeds password' })).body.code, 200);
      assert.equal((await client(s.url).post('/v1/auth/signup', { handle: 'zed_2', password: 'zeds password' })).status, 201);
      const third = await anon.post('/user/register/v2', { username: 'zed_3', password: 'zeds password' });
      assert.equal(third.body.code, 10010, third.text);
      assert.match(third.body.message, /too many attempts/);
      await assert.rejects(s.core.users.getByHandle(s.appId, 'zed_3'));
    } finally {
      await s.stop();
    }
  });
});

describe('with the Redis bus, sign-in limits hold across servers', () => {
  let db: TestDatabase;
  let one: TestServer;
  let two: TestServer;
  const busPrefix = `t${randomBytes(5).toString('hex')}`;
  before(async () => {
    db = await createTestDatabase();
    const config = { bus: process.env.PARLEY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', busPrefix, authRatePerIp: 1000, authRatePerHandle: 4 };
    // One standing clock for both: the limits count in windows of a minute, and
    // a run that straddled a minute's turn would start a new window mid-test.
    const clock = new ManualClock(Date.now());
    one = await startTestServer({ db, manualClock: clock, config: { ...config, nodeId: 1 } });
    two = await startTestServer({ db, manualClock: clock, config: { ...config, nodeId: 2 } });
    await one.core.users.create(one.appId, { handle: 'ursula', password: 'ursulas password' });
  });
  after(async () => {
    await two.stop();
    await one.stop();
    await db.drop();
  });

  test('guesses spread over two servers count against one limit', async () => {
    for (let i = 0; i < 4; i++) assert.equal((await client((i % 2 ? one : two).url).post('/v1/auth/login', { handle: 'ursula', password: `guess ${i}` })).status, 401);
    for (const s of [one, two]) {
      const r = await client(s.url).post('/v1/auth/login', { handle: 'ursula', password: 'ursulas password' });
      assert.equal(r.status, 429, `server ${s.config.nodeId}`);
      assert.equal(r.body.error.code, 'rate_limited');
    }
  });
});
