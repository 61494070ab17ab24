import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { client } from '../support/http.ts';
import { randomBytes } from 'node:crypto';
import { makeUser } from '../support/fixtures.ts';
import { online } from '../support/ws.ts';

const run = promisify(execFile);

/** Polls `ok` until it holds (true) or `ms` pass (false). */
async function until(ok: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await ok()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}
const bin = fileURLToPath(new URL('../../bin/parley.mjs', import.meta.url));

describe('parley CLI', () => {
  let db: TestDatabase;
  let s: TestServer;
  const env = () => ({ ...process.env, DATABASE_URL: db.url, PARLEY_DATA_DIR: db.dataDir, LOG_LEVEL: 'silent' });
  const parley = async (...args: string[]) => {
    const r = await run(process.execPath, [bin, ...args], { env: env() });
    return r.stdout;
  };

  before(async () => {
    db = await createTestDatabase();
    s = await startTestServer({ db });
  });
  after(async () => {
    await s.stop();
    await db.drop();
  });

  test('migrate, user create, token issue: the token works against the server', async () => {
    const migrated = JSON.parse(await parley('migrate'));
    assert.deepEqual(migrated.applied, []);
    const user = JSON.parse(await parley('user', 'create', '--handle', 'cli-user', '--display-name', 'CLI User'));
    assert.equal(user.handle, 'cli-user');
    const issued = JSON.parse(await parley('token', 'issue', '--user', String(user.id)));
    const me = await client(s.url, issued.token).get('/v1/me');
    assert.equal(me.status, 200);
    assert.equal(me.body.displayName, 'CLI User');

    const byHandle = JSON.parse(await parley('token', 'issue', '--handle', 'cli-user', '--ttl', '60'));
    assert.ok(byHandle.expiresAt > Date.now());

    await parley('token', 'revoke', issued.token);
    // The server cached the principal a moment ago; its revocation watch reads the CLI's revocation within about a second.
    const refused = await until(async () => (await client(s.url, issued.token).get('/v1/me')).status === 401, 5000);
    assert.equal(refused, true, 'still accepted 5 s after the revocation');
  });

  test('a revocation made by the CLI on the default local bus closes the open socket and empties the cache', async () => {
    assert.equal(s.config.bus, 'local');
    const [alice, bob] = [await makeUser(s), await makeUser(s)];
    const api = client(s.url, alice.token);
    // The token's principal is now in the server's cache.
    assert.equal((await api.post(`/v1/users/${bob.id}/messages`, { type: 'text', body: { text: 'before' } })).status, 201);
    const socket = await online(s.url, alice.token);
    await parley('token', 'revoke', alice.token);
    const closed = await Promise.race([socket.closed.then((c) => c.code), new Promise((r) => setTimeout(() => r('still open after 5 s'), 5000))]);
    assert.equal(closed, 4002);
    // The socket closes after the cache entry went (both happen in one step): HTTP refuses now.
    const r = await api.post(`/v1/users/${bob.id}/messages`, { type: 'text', body: { text: 'after' } });
    assert.equal(r.status, 401);
    assert.equal(r.body.error.code, 'token_revoked');
  });

  test('app create prints an admin token for the new app', async () => {
    const app = JSON.parse(await parley('app', 'create', '--name', 'second'));
    assert.equal(app.name, 'second');
    const r = await client(s.url, app.adminToken).post('/v1/users', { handle: 'in-second' });
    assert.equal(r.status, 201);
  });

  test('--help describes each command; bad usage exits 2 with a message', async () => {
    assert.match(await parley('token', 'issue', '--help'), /usage: parley token issue/);
    assert.match(await parley('--help'), /user create/);
    await assert.rejects(parley('user', 'create'), (e: { code: number; stderr: string }) => e.code === 2 && /--handle is required/.test(e.stderr));
    await assert.rejects(parley('frobnicate'), (e: { code: number; stderr: string }) => e.code === 2 && /unknown command/.test(e.stderr));
    await assert.rejects(parley('migrate', '--port', 'x'), (e: { code: number; stderr: string }) => e.code === 2 && /PARLEY_PORT/.test(e.stderr));
  });
});

for (const broker of [
  { name: 'Redis', url: process.env.PARLEY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379' },
  { name: 'NATS', url: process.env.PARLEY_TEST_NATS_URL ?? 'nats://127.0.0.1:4222' },
]) {
  describe(`parley token revoke with servers on ${broker.name}`, () => {
    let db: TestDatabase;
    let s: TestServer;
    const busPrefix = `t${randomBytes(5).toString('hex')}`;
    before(async () => {
      db = await createTestDatabase();
      s = await startTestServer({ db, config: { bus: broker.url, busPrefix } });
    });
    after(async () => {
      await s.stop();
      await db.drop();
    });

    test('the revocation reaches the running server at once: cached principal dropped, open socket closed', async () => {
      const [alice, bob] = [await makeUser(s), await makeUser(s)];
      const api = client(s.url, alice.token);
      // The message routes now hold Alice's principal in their cache.
      assert.equal((await api.post(`/v1/users/${bob.id}/messages`, { type: 'text', body: { text: 'before' } })).status, 201);
      const socket = await online(s.url, alice.token);
      const env = { ...process.env, DATABASE_URL: db.url, PARLEY_DATA_DIR: db.dataDir, LOG_LEVEL: 'silent', PARLEY_BUS: broker.url, PARLEY_BUS_PREFIX: busPrefix };
      await run(process.execPath, [bin, 'token', 'revoke', alice.token], { env });
      const closed = await Promise.race([socket.closed.then((c) => c.code), new Promise((r) => setTimeout(() => r('still open after 5 s'), 5000))]);
      assert.equal(closed, 4002);
      const r = await api.post(`/v1/users/${bob.id}/messages`, { type: 'text', body: { text: 'after' } });
      assert.equal(r.status, 401);
      assert.equal(r.body.error.code, 'token_revoked');
    });
  });
}
