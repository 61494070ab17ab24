import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { lanying } from '../../support/lanying.ts';
import { client } from '../../support/http.ts';

describe('lanying accounts: register and the three token routes', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ manualClock: true });
  });
  after(() => s.stop());

  test('register, then log in by name, by id and by login name; each token is a working user token', async () => {
    const anon = lanying(s.url, { appId: s.appId });
    const reg = await anon.post('/user/register/v2', { username: 'alice_1', password: 'correct horse' });
    assert.equal(reg.status, 200);
    assert.equal(reg.body.code, 200);
    assert.equal(reg.body.message, null);
    assert.equal(reg.body.data.username, 'alice_1');
    const userId = reg.body.data.user_id;
    assert.equal(typeof userId, 'number');
    assert.equal((await s.core.users.get(s.appId, userId)).handle, 'alice_1');

    for (const [path, body] of [
      ['/token/user', { name: 'alice_1', password: 'correct horse' }],
      ['/token/id', { user_id: userId, password: 'correct horse' }],
      ['/token/id', { user_id: String(userId), password: 'correct horse' }],
      ['/token/login', { login_name: 'alice_1', password: 'correct horse', device_guid: 'dev-1' }],
    ] as const) {
      const r = await anon.post(path, body);
      assert.equal(r.body.code, 200, `${path}: ${r.text}`);
      assert.equal(r.body.data.user_id, userId);
      assert.equal(typeof r.body.data.token, 'string');
      assert.equal(r.body.data.expire, s.clock!.now() + s.config.userTokenTtl * 1000);
      const p = await s.core.tokens.authenticate(r.body.data.token);
      assert.equal(p.userId, userId);
    }
  });

  test('wrong password, unknown user, taken name and bad usernames are refused in the envelope', async () => {
    const anon = lanying(s.url, { appId: s.appId });
    await anon.post('/user/register/v2', { username: 'bob_2', password: 'secret-pass' });
    const wrong = await anon.post('/token/user', { name: 'bob_2', password: 'nope-nope' });
    assert.deepEqual([wrong.status, wrong.body.code, wrong.body.data], [200, 10000, null]);
    assert.equal((await anon.post('/token/id', { user_id: 999999, password: 'secret-pass' })).body.code, 10000);
    assert.equal((await anon.post('/token/login', { login_name: 'nobody', password: 'secret-pass' })).body.code, 10000);
    assert.equal((await anon.post('/user/register/v2', { username: 'bob_2', password: 'secret-pass' })).body.code, 10004);
    // Core's one handle rule: never all digits, letters, digits and _ . @ + - only.
    for (const username of ['12345', 'has space', 'a/b', '']) {
      const r = await anon.post('/user/register/v2', { username, password: 'secret-pass' });
      assert.equal(r.body.code, 10002, username);
    }
    // Lanying's own reserved prefixes (its service accounts) do not apply to Parley.
    for (const username of ['maxim_x', 'ann.lee']) {
      const r = await anon.post('/user/register/v2', { username, password: 'secret-pass' });
      assert.deepEqual([r.body.code, r.body.data?.username], [200, username], r.text);
    }
    // The same rule through the native API: a numeric handle is refused there too.
    const native = await client(s.url, s.adminToken).post('/v1/users', { handle: '424242' });
    assert.deepEqual([native.status, native.body.error?.code], [400, 'invalid_argument'], native.text);
    assert.equal((await anon.post('/token/user', { mobile: '13800000000', password: 'secret-pass' })).body.code, 10000);
  });

  test('app_id is required and must exist (40000); malformed bodies are 10002', async () => {
    const none = await lanying(s.url, { appId: '' }).post('/token/user', { name: 'x', password: 'y' });
    assert.deepEqual([none.status, none.body.code], [200, 40000]);
    assert.equal((await lanying(s.url, { appId: 123 }).post('/token/user', { name: 'x', password: 'y' })).body.code, 40000);
    const bad = await lanying(s.url, { appId: s.appId }).post('/token/user', undefined, { raw: '{"name":', headers: { 'content-type': 'application/json' } });
    assert.deepEqual([bad.status, bad.body.code], [200, 10002]);
    assert.equal((await lanying(s.url, { appId: s.appId }).post('/token/id', { user_id: 2 ** 60, password: 'x' })).body.code, 10002);
  });
});

// The sign-up switch and the limits on guessing are core's (src/core/accounts.ts):
// the lanying doors are not a way around native's.
describe('lanying accounts under core\'s sign-up switch and guessing limits', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ manualClock: true, config: { signup: false, authRatePerHandle: 3 } });
  });
  after(() => s.stop());

  test('sign-up closed: register refuses (10010) and creates nobody, like native signup', async () => {
    const anon = lanying(s.url, { appId: s.appId });
    const r = await anon.post('/user/register/v2', { username: 'closed_door', password: 'secret-pass' });
    assert.deepEqual([r.body.code, r.body.data], [10010, null], JSON.stringify(r.body));
    const native = await client(s.url).post('/v1/auth/signup', { handle: 'closed_door2', password: 'secret-pass' });
    assert.deepEqual([native.status, native.body.error?.code], [403, 'forbidden']);
    const found = await client(s.url, s.adminToken).get('/v1/users', { query: { handle: 'closed_door' } });
    assert.deepEqual([found.status, found.body.error?.code], [404, 'user_not_found'], found.text);
  });
});
