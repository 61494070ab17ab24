// PostgreSQL answers a newest-first search by walking the newest index rows
// and, past the walk, with one query (src/store/search/postgres-newest.ts). The
// production walks (2,048 rows, then up to 32,768) are longer than any test
// corpus, so the HTTP conformance suite covers the walk alone; here the
// adapter runs with walks of 1 to 13 rows over messages sent through HTTP, so
// pages cross from the first walk, the longer walk and the index at every
// point, and must equal the one-query answer, for a phrase and for a word.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openEngine } from '../../src/store/open.ts';
import { postgresSearch } from '../../src/store/search/postgres-search.ts';
import { parseQuery } from '../../src/core/search/tokenize.ts';
import type { IndexQuery } from '../../src/core/search/ports.ts';
import { createTestDatabase, skipUnlessPostgres } from '../support/database.ts';
import { startTestServer } from '../support/server.ts';
import { client } from '../support/http.ts';
import { makeUser } from '../support/fixtures.ts';

test('a phrase and a word page the same across the walks and the one query, whatever their lengths', { skip: skipUnlessPostgres('PostgreSQL adapter') }, async () => {
  const db = await createTestDatabase({ postgres: true });
  try {
    const s = await startTestServer({ db });
    const [ownerUser, readerUser] = [await makeUser(s), await makeUser(s)];
    const owner = client(s.url, ownerUser.token);
    const newGroup = async (members: number[]) => ((await owner.post('/v1/groups', { name: 'g', memberIds: members })).body.group.id as number);
    const shared = await newGroup([readerUser.id]);
    const own = await newGroup([]);
    const send = async (g: number, text: string) => {
      const r = await owner.post(`/v1/groups/${g}/messages`, { type: 'text', body: { text } });
      assert.equal(r.status, 201, r.text);
      return r.body as { id: number; conversationId: number };
    };
    const hits: number[] = [];
    const sharedIds: number[] = [];
    let sharedConversation = 0;
    for (let i = 0; i < 12; i++) {
      // Hits at irregular places between rows with both words apart and rows of the other group.
      const m = await send(shared, i % 3 === 1 ? `pangolin scales ${i}` : `scales of a pangolin ${i}`);
      sharedConversation = m.conversationId;
      sharedIds.push(m.id);
      if (i % 3 === 1) hits.push(m.id);
      await send(own, `pangolin scales elsewhere ${i}`);
    }
    await s.stop();

    const engine = openEngine({ databaseUrl: db.url, dataDir: db.dataDir, poolSize: 1 });
    try {
      const walks = Array.from({ length: 6 }, (_, i) => i + 1).flatMap((first) => [first, 2 * first + 1, 13].map((max) => ({ first, max })));
      for (const [query, found] of [['"pangolin scales"', hits], ['pangolin', sharedIds]] as const) {
        const base: IndexQuery = { appId: s.appId, clauses: parseQuery(query), scope: [{ conversationId: sharedConversation, sinceMs: 0 }], order: 'newest', limit: 1 };
        const expected = [...found].reverse();
        assert.deepEqual((await postgresSearch(engine.db).query({ ...base, limit: 50 })).map((m) => m.id), expected);
        for (const walk of walks) {
          const index = postgresSearch(engine.db, walk);
          for (const limit of [1, 2, 3]) {
            const seen: number[] = [];
            let beforeId: number | undefined;
            for (;;) {
              const page = await index.query({ ...base, limit, ...(beforeId ? { beforeId } : {}) });
              seen.push(...page.map((m) => m.id));
              if (page.length < limit) break;
              beforeId = page[page.length - 1].id;
            }
            assert.deepEqual(seen, expected, `${query}, walks ${JSON.stringify(walk)}, limit ${limit}`);
          }
          assert.equal((await index.query({ ...base, scope: 'all', limit: 50 })).length, 12 + found.length, `${query}, walks ${JSON.stringify(walk)}, whole app`);
        }
      }
    } finally {
      await engine.close();
    }
  } finally {
    await db.drop();
  }
});
