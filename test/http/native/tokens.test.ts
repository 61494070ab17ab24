import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { client } from '../../support/http.ts';
import { makeUser } from '../../support/fixtures.ts';

describe('native tokens', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ manualClock: true });
  });
  after(() => s.stop());

  test('an admin issues a user token that /v1/me accepts, then revokes it', async () => {
    const u = await makeUser(s);
    const admin = client(s.url, s.adminToken);
    const issued = await admin.post('/v1/tokens', { userId: u.id });
    assert.equal(issued.status, 201);
    assert.equal(issued.body.userId, u.id);
    assert.match(issued.body.token, /^pu_/);
    assert.equal((await client(s.url, issued.body.token).get('/v1/me')).body.id, u.id);

    assert.equal((await admin.post('/v1/tokens/revoke', { token: issued.body.token })).status, 204);
    const after = await client(s.url, issued.body.token).get('/v1/me');
    assert.equal(after.status, 401);
    assert.equal(after.body.error.code, 'token_revoked');
    const again = await admin.post('/v1/tokens/revoke', { token: issued.body.token });
    assert.equal(again.status, 409);
  });

  test('revoke by id, and sign-out revokes the calling token', async () => {
    const u = await makeUser(s);
    const admin = client(s.url, s.adminToken);
    const t = await admin.post('/v1/tokens', { userId: u.id });
    assert.equal((await admin.delete(`/v1/tokens/${t.body.id}`)).status, 204);
    assert.equal((await client(s.url, t.body.token).get('/v1/me')).status, 401);
    assert.equal((await admin.delete('/v1/tokens/123456')).status, 404);

    const t2 = await admin.post('/v1/tokens', { userId: u.id });
    assert.equal((await client(s.url, t2.body.token).post('/v1/tokens/self/revoke')).status, 204);
    assert.equal((await client(s.url, t2.body.token).get('/v1/me')).body.error.code, 'token_revoked');
  });

  test('tokens expire by the clock', async () => {
    const u = await makeUser(s);
    const t = await client(s.url, s.adminToken).post('/v1/tokens', { userId: u.id, ttlSeconds: 60 });
    assert.equal(t.body.expiresAt, s.clock!.now() + 60_000);
    assert.equal((await client(s.url, t.body.token).get('/v1/me')).status, 200);
    s.clock!.advance(60_001);
    const r = await client(s.url, t.body.token).get('/v1/me');
    assert.equal(r.status, 401);
    assert.equal(r.body.error.code, 'token_expired');
  });

  test('admin tokens can be issued; user tokens cannot issue', async () => {
    const admin = client(s.url, s.adminToken);
    const t = await admin.post('/v1/tokens', { kind: 'admin' });
    assert.equal(t.status, 201);
    assert.match(t.body.token, /^pa_/);
    assert.equal(t.body.expiresAt, null);
    const u = await makeUser(s);
    const denied = await client(s.url, u.token).post('/v1/tokens', { userId: u.id });
    assert.equal(denied.status, 403);
  });

  test('a user token cannot revoke another token, by value or by id; the victim keeps working', async () => {
    const [mallory, victim] = [await makeUser(s), await makeUser(s)];
    const byAdmin = await client(s.url, s.adminToken).post('/v1/tokens', { userId: victim.id });
    const byValue = await client(s.url, mallory.token).post('/v1/tokens/revoke', { token: victim.token });
    assert.equal(byValue.status, 403);
    assert.equal(byValue.body.error.code, 'admin_required');
    const byId = await client(s.url, mallory.token).delete(`/v1/tokens/${byAdmin.body.id}`);
    assert.equal(byId.status, 403);
    assert.equal(byId.body.error.code, 'admin_required');
    assert.equal((await client(s.url, victim.token).get('/v1/me')).body.id, victim.id);
    assert.equal((await client(s.url, byAdmin.body.token).get('/v1/me')).body.id, victim.id);
  });

  test('missing, malformed and unknown tokens are 401', async () => {
    const anon = client(s.url);
    const none = await anon.get('/v1/me');
    assert.equal(none.status, 401);
    assert.match(none.body.error.message, /token/);
    assert.equal((await anon.get('/v1/me', { headers: { authorization: 'Basic abc' } })).status, 401);
    assert.equal((await anon.get('/v1/me', { token: 'pu_nope' })).status, 401);
  });

  test('bad token requests: user token without userId, unknown user, bad ttl', async () => {
    const admin = client(s.url, s.adminToken);
    assert.equal((await admin.post('/v1/tokens', {})).status, 400);
    assert.equal((await admin.post('/v1/tokens', { userId: 987654321 })).status, 404);
    assert.equal((await admin.post('/v1/tokens', { userId: 1, ttlSeconds: -5 })).status, 400);
    assert.equal((await admin.post('/v1/tokens', { kind: 'root' })).status, 400);
  });
});
