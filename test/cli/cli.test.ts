import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { client } from '../support/http.ts';

const run = promisify(execFile);
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
    assert.equal((await client(s.url, issued.token).get('/v1/me')).status, 401);
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
