// PATCH /v1/me with a new password (issue 12 item 15): the current password is
// required, and the change ends every other session of the user.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { client } from '../../support/http.ts';
import { online } from '../../support/ws.ts';

describe('changing one\'s own password', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ config: { authRatePerIp: 1000 } });
  });
  after(() => s.stop());

  test('needs the current password; a stolen token alone cannot change it', async () => {
    const up = await client(s.url).post('/v1/auth/signup', { handle: 'pia', password: 'pias first password' });
    const me = client(s.url, up.body.token);
    const missing = await me.patch('/v1/me', { password: 'stolen account' });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error.code, 'invalid_argument');
    assert.match(missing.body.error.message, /currentPassword/);
    const wrong = await me.patch('/v1/me', { password: 'stolen account', currentPassword: 'a guess' });
    assert.equal(wrong.status, 403);
    assert.equal(wrong.body.error.code, 'forbidden');
    // Nothing changed: the old password still signs in, the new one does not.
    assert.equal((await client(s.url).post('/v1/auth/login', { handle: 'pia', password: 'pias first password' })).status, 200);
    assert.equal((await client(s.url).post('/v1/auth/login', { handle: 'pia', password: 'stolen account' })).status, 401);
    // A profile change without a password needs nothing more, and revokes nothing.
    const named = await me.patch('/v1/me', { displayName: 'Pia' });
    assert.equal(named.status, 200);
    assert.equal(named.body.displayName, 'Pia');
    assert.equal(named.body.revokedTokens, 0);
  });

  test('a new password ends every other session (sockets too), says how many, and keeps the caller signed in', async () => {
    const up = await client(s.url).post('/v1/auth/signup', { handle: 'quinn', password: 'quinns old password' });
    const phone = await client(s.url).post('/v1/auth/login', { handle: 'quinn', password: 'quinns old password' });
    const laptop = await client(s.url).post('/v1/auth/login', { handle: 'quinn', password: 'quinns old password' });
    const other = await client(s.url).post('/v1/auth/signup', { handle: 'rosa', password: 'rosas password' });
    const phoneSocket = await online(s.url, phone.body.token);
    assert.equal((await client(s.url, laptop.body.token).get('/v1/me')).status, 200);

    const changed = await client(s.url, up.body.token).patch('/v1/me', { password: 'quinns new password', currentPassword: 'quinns old password' });
    assert.equal(changed.status, 200, changed.text);
    assert.equal(changed.body.handle, 'quinn');
    assert.equal(changed.body.revokedTokens, 2);
    assert.equal('passwordHash' in changed.body, false);

    assert.equal((await phoneSocket.closed).code, 4002);
    for (const t of [phone.body.token, laptop.body.token]) {
      const r = await client(s.url, t).get('/v1/me');
      assert.equal(r.status, 401);
      assert.equal(r.body.error.code, 'token_revoked');
    }
    assert.equal((await client(s.url, up.body.token).get('/v1/me')).status, 200, 'the caller stays signed in');
    assert.equal((await client(s.url, other.body.token).get('/v1/me')).status, 200, 'other users are untouched');
    assert.equal((await client(s.url).post('/v1/auth/login', { handle: 'quinn', password: 'quinns old password' })).status, 401);
    assert.equal((await client(s.url).post('/v1/auth/login', { handle: 'quinn', password: 'quinns new password' })).status, 200);
  });
});
