// `parley webhooks add|list|remove` against the database a running server uses.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { client } from '../support/http.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../../bin/parley.mjs', import.meta.url));

describe('parley webhooks', () => {
  let db: TestDatabase;
  let s: TestServer;
  const parley = async (...args: string[]) => (await run(process.execPath, [bin, ...args], { env: { ...process.env, DATABASE_URL: db.url, PARLEY_DATA_DIR: db.dataDir, LOG_LEVEL: 'silent' } })).stdout;

  before(async () => {
    db = await createTestDatabase();
    s = await startTestServer({ db });
  });
  after(async () => {
    await s.stop();
    await db.drop();
  });

  test('add prints the endpoint with its secret; list shows it without; remove takes it away; a bad category is refused', async () => {
    const added = JSON.parse(await parley('webhooks', 'add', '--url', 'https://hooks.example.com/parley', '--events', 'messages, calls'));
    assert.deepEqual(added.categories, ['messages', 'calls']);
    assert.match(added.secret, /^whsec_/);

    const listed = JSON.parse(await parley('webhooks', 'list'));
    assert.deepEqual(listed.map((e: { id: number }) => e.id), [added.id]);
    assert.equal(listed[0].secret, undefined);
    assert.equal(listed[0].failing, false);
    // The server's API sees the same endpoint.
    assert.deepEqual((await client(s.url, s.adminToken).get('/v1/webhooks')).body.items.map((e: { id: number }) => e.id), [added.id]);

    assert.deepEqual(JSON.parse(await parley('webhooks', 'remove', String(added.id))), { removed: true });
    assert.deepEqual(JSON.parse(await parley('webhooks', 'list')), []);

    await assert.rejects(parley('webhooks', 'add', '--url', 'https://hooks.example.com/parley', '--events', 'gossip'), (e: { stderr: string }) => /"gossip" is not an event category/.test(e.stderr));
  });
});
