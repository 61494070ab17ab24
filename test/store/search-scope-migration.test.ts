// Migration 0018 gives PostgreSQL's message_search the conversation of each
// message (the search checks scope on the index row). Messages indexed before
// it must keep being found, by exactly the members of their conversation:
// the migration is rolled back and applied again over indexed messages.
// On SQLite the migration changes nothing and the same assertions hold.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Migrator } from 'kysely/migration';
import { openEngine } from '../../src/store/open.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { migrationProvider } from '../../src/store/migrations/index.ts';
import { createTestDatabase } from '../support/database.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { client } from '../support/http.ts';
import { makeUser } from '../support/fixtures.ts';

type Person = { api: ReturnType<typeof client> };

async function group(owner: Person, members: { id: number }[]): Promise<number> {
  const r = await owner.api.post('/v1/groups', { name: 'g', memberIds: members.map((m) => m.id) });
  assert.equal(r.status, 201, r.text);
  return r.body.group.id as number;
}
async function send(p: Person, groupId: number, text: string): Promise<number> {
  const r = await p.api.post(`/v1/groups/${groupId}/messages`, { type: 'text', body: { text } });
  assert.equal(r.status, 201, r.text);
  return r.body.id as number;
}
async function found(p: Person, q: string): Promise<number[]> {
  const r = await p.api.get('/v1/search', { query: { q } });
  assert.equal(r.status, 200, r.text);
  return r.body.items.map((h: any) => h.message.id as number);
}

test('0018: messages indexed before it are still found, by the members of their conversation only', async () => {
  const db = await createTestDatabase();
  try {
    let s: TestServer = await startTestServer({ db });
    const [ownerUser, readerUser] = [await makeUser(s), await makeUser(s)];
    const owner = { id: ownerUser.id, api: client(s.url, ownerUser.token) };
    const reader = { id: readerUser.id, api: client(s.url, readerUser.token) };
    const shared = await group(owner, [reader]);
    const own = await group(owner, []);
    const inShared = await send(owner, shared, '我们周末去露营');
    const inOwn = await send(owner, own, '周末 plans');
    await s.stop();

    const engine = openEngine({ databaseUrl: db.url, dataDir: db.dataDir, poolSize: 1 });
    try {
      const schema = await engine.currentSchema();
      const migrator = new Migrator({ db: engine.db, provider: migrationProvider, ...(schema ? { migrationTableSchema: schema } : {}) });
      const down = await migrator.migrateTo('0017-webhooks-outbox');
      const reverted = down.results?.map((r) => [r.migrationName, r.status]) ?? [];
      assert.ok(reverted.every(([, status]) => status === 'Success'), JSON.stringify(reverted));
      assert.deepEqual(reverted.at(-1), ['0018-search-scope', 'Success']);
      assert.deepEqual((await migrateToLatest(engine)).applied, reverted.map(([name]) => name).reverse());
    } finally {
      await engine.close();
    }

    s = await startTestServer({ db });
    try {
      const [o, r] = [{ api: client(s.url, ownerUser.token) }, { api: client(s.url, readerUser.token) }];
      assert.deepEqual(await found(o, '周末'), [inOwn, inShared]);
      assert.deepEqual(await found(r, '周末'), [inShared]);
      const later = await send(o, shared, '下个周末');
      assert.deepEqual(await found(r, '周末'), [later, inShared]);
    } finally {
      await s.stop();
    }
  } finally {
    await db.drop();
  }
});
