import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { client } from '../../support/http.ts';
import { makeUser } from '../../support/fixtures.ts';

describe('native users', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(() => s.stop());

  test('an admin creates, gets, updates and lists users', async () => {
    const admin = client(s.url, s.adminToken);
    const created = await admin.post('/v1/users', { handle: 'carol', displayName: 'Carol', profile: { city: 'Oslo' } });
    assert.equal(created.status, 201);
    assert.equal(created.body.handle, 'carol');
    assert.deepEqual(created.body.profile, { city: 'Oslo' });
    assert.ok(Number.isSafeInteger(created.body.id));
    assert.equal('passwordHash' in created.body, false);

    const got = await admin.get(`/v1/users/${created.body.id}`);
    assert.equal(got.status, 200);
    assert.equal(got.body.displayName, 'Carol');

    const patched = await admin.patch(`/v1/users/${created.body.id}`, { displayName: 'Caroline', avatar: 'https://x/a.png' });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.displayName, 'Caroline');
    assert.equal(patched.body.avatar, 'https://x/a.png');

    await admin.post('/v1/users', { handle: 'dave' });
    const page1 = await admin.get('/v1/users', { query: { limit: 1 } });
    assert.equal(page1.status, 200);
    assert.equal(page1.body.items.length, 1);
    assert.ok(page1.body.next);
    assert.ok(page1.body.total >= 2);
    const page2 = await admin.get('/v1/users', { query: { limit: 1, cursor: page1.body.next } });
    assert.notEqual(page2.body.items[0].id, page1.body.items[0].id);

    const byHandle = await admin.get('/v1/users', { query: { handle: 'dave' } });
    assert.equal(byHandle.body.items[0].handle, 'dave');
  });

  test('a duplicate handle is a 409 and creates nothing', async () => {
    const admin = client(s.url, s.adminToken);
    await admin.post('/v1/users', { handle: 'erin' });
    const before = (await admin.get('/v1/users', { query: { limit: 200 } })).body.total;
    const dup = await admin.post('/v1/users', { handle: 'erin' });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.error.code, 'handle_taken');
    assert.equal((await admin.get('/v1/users', { query: { limit: 200 } })).body.total, before);
  });

  test('bad input gets a 4xx naming the problem', async () => {
    const admin = client(s.url, s.adminToken);
    const cases: [string, () => Promise<{ status: number; body: any }>, number, RegExp][] = [
      ['missing handle', () => admin.post('/v1/users', {}), 400, /handle/],
      ['wrong type', () => admin.post('/v1/users', { handle: 12 }), 400, /handle/],
      ['bad characters', () => admin.post('/v1/users', { handle: 'has space' }), 400, /handle/],
      ['unknown field', () => admin.post('/v1/users', { handle: 'zed', role: 'god' }), 400, /additional/],
      ['invalid JSON', () => admin.post('/v1/users', undefined, { raw: '{"handle":', headers: { 'content-type': 'application/json' } }), 400, /JSON/],
      ['unknown user', () => admin.get('/v1/users/999999'), 404, /999999/],
      ['non-numeric id', () => admin.get('/v1/users/abc'), 400, /id/],
      ['short password', () => admin.post('/v1/users', { handle: 'pw', password: 'x' }), 400, /password/],
      ['empty patch', () => admin.patch('/v1/users/1', {}), 400, /properties/],
      ['bad cursor', () => admin.get('/v1/users', { query: { cursor: '!!' } }), 400, /cursor/],
    ];
    for (const [name, run, status, message] of cases) {
      const r = await run();
      assert.equal(r.status, status, name);
      assert.match(r.body.error.message, message, name);
    }
  });

  test('an oversize body is refused with 413', async () => {
    const big = 'x'.repeat(s.config.bodyLimit + 10);
    const r = await client(s.url, s.adminToken).post('/v1/users', { handle: 'big', displayName: big });
    assert.equal(r.status, 413);
    assert.equal(r.body.error.code, 'payload_too_large');
  });

  test('a user token may read users and itself but not administer', async () => {
    const u = await makeUser(s);
    const me = client(s.url, u.token);
    const r = await me.get('/v1/me');
    assert.equal(r.status, 200);
    assert.equal(r.body.id, u.id);
    assert.equal((await me.get(`/v1/users/${u.id}`)).status, 200);
    assert.equal((await me.get('/v1/users', { query: { handle: u.handle } })).body.items[0].id, u.id);

    const denied = await me.post('/v1/users', { handle: 'sneaky' });
    assert.equal(denied.status, 403);
    assert.equal(denied.body.error.code, 'admin_required');
    assert.equal((await me.get('/v1/users')).status, 403);
    assert.equal((await me.patch(`/v1/users/${u.id}`, { displayName: 'x' })).status, 403);

    const self = await me.patch('/v1/me', { displayName: 'Myself' });
    assert.equal(self.body.displayName, 'Myself');
  });
});
