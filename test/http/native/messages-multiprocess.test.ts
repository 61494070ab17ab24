// Two Parley servers on one database (two processes in production; two
// servers with their own core, writer and caches here): seqs stay gapless and
// unique and a resend is idempotent across them.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { client } from '../../support/http.ts';
import { makeUser } from '../../support/fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';

describe('messages across two servers on one database', () => {
  let db: TestDatabase;
  let one: TestServer;
  let two: TestServer;
  before(async () => {
    db = await createTestDatabase();
    one = await startTestServer({ db, config: { nodeId: 1 } });
    two = await startTestServer({ db, config: { nodeId: 2 } });
  });
  after(async () => {
    await two.stop();
    await one.stop();
    await db.drop();
  });

  test('concurrent sends through both get seqs 1..n exactly; sync positions are unique', async () => {
    const a = await makeUser(one);
    const b = await makeUser(one);
    const sends = Array.from({ length: 120 }, (_, i) => client((i % 2 ? one : two).url, i % 3 ? a.token : b.token).post(`/v1/users/${i % 3 ? b.id : a.id}/messages`, { type: 'text', body: { text: `m${i}` } }));
    const replies = await Promise.all(sends);
    assert.ok(replies.every((r) => r.status === 201), JSON.stringify(replies.find((r) => r.status !== 201)?.body));
    assert.deepEqual(replies.map((r) => r.body.seq).sort((x, y) => x - y), Array.from({ length: 120 }, (_, i) => i + 1));
    assert.equal(new Set(replies.map((r) => r.body.pos)).size, 120);
    const seen = await client(two.url, b.token).get(`/v1/users/${a.id}/messages`, { query: { order: 'asc', limit: 200 } });
    assert.deepEqual(seen.body.items.map((m: any) => m.seq), Array.from({ length: 120 }, (_, i) => i + 1));
  });

  test('the same client id sent to both servers at once is stored once', async () => {
    const a = await makeUser(one);
    const b = await makeUser(one);
    const replies = await Promise.all(
      Array.from({ length: 10 }, (_, i) => client((i % 2 ? one : two).url, a.token).post(`/v1/users/${b.id}/messages`, { type: 'text', body: { text: 'once' }, clientId: 'dup-1' })),
    );
    assert.ok(replies.every((r) => r.status === 200 || r.status === 201));
    assert.equal(new Set(replies.map((r) => r.body.id)).size, 1);
    const h = await client(one.url, b.token).get(`/v1/users/${a.id}/messages`);
    assert.equal(h.body.items.length, 1);
    assert.equal(h.body.lastSeq, 1);
  });
});
