// A revocation nobody announced (written to the store by another process whose
// bus message never arrived: the CLI on the local bus, or a lost Redis/NATS
// notification) still ends the token's sessions within a few seconds, on
// every bus: each server watches the store (src/core/auth/revocation-watch.ts).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startTestServer, type TestServer } from '../support/server.ts';
import { client } from '../support/http.ts';
import { makeUser } from '../support/fixtures.ts';
import { online } from '../support/ws.ts';

for (const bus of [
  { name: 'local', url: 'local' },
  { name: 'Redis', url: process.env.PARLEY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379' },
  { name: 'NATS', url: process.env.PARLEY_TEST_NATS_URL ?? 'nats://127.0.0.1:4222' },
]) {
  describe(`an unannounced revocation on the ${bus.name} bus`, () => {
    let s: TestServer;
    before(async () => {
      s = await startTestServer({ config: { bus: bus.url, busPrefix: `t${randomBytes(5).toString('hex')}` } });
    });
    after(() => s.stop());

    test('closes the open socket (4002) and leaves the token cache', async () => {
      const [alice, bob] = [await makeUser(s), await makeUser(s)];
      const api = client(s.url, alice.token);
      assert.equal((await api.post(`/v1/users/${bob.id}/messages`, { type: 'text', body: { text: 'before' } })).status, 201);
      const socket = await online(s.url, alice.token);
      const { tokenId } = await s.core.tokens.authenticate(alice.token);
      // Straight to the store: no event, no bus message, as if written by another process.
      assert.equal(await s.core.store.tokens.revoke(tokenId, Date.now()), true);
      const closed = await Promise.race([socket.closed.then((c) => c.code), new Promise((r) => setTimeout(() => r('still open after 5 s'), 5000))]);
      assert.equal(closed, 4002);
      const r = await api.post(`/v1/users/${bob.id}/messages`, { type: 'text', body: { text: 'after' } });
      assert.equal(r.status, 401);
      assert.equal(r.body.error.code, 'token_revoked');
    });
  });
}
