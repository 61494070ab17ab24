// The group-commit writer against the real store (SQLite, or PostgreSQL in
// the PostgreSQL run): concurrent sends share transactions, and a send that
// fails does not take the valid sends of its batch down with it.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { makeUser } from '../../support/fixtures.ts';
import { GroupCommit } from '../../../src/core/messages/group-commit.ts';
import type { Appendable } from '../../../src/core/messages/ports.ts';

describe('group commit', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(() => s.stop());

  async function conversation() {
    const a = await makeUser(s);
    const b = await makeUser(s);
    const c = await s.core.store.conversations.ensurePrivate(s.appId, Math.min(a.id, b.id), Math.max(a.id, b.id), s.core.ids.next(), Date.now());
    return { a, c };
  }
  const item = (conversationId: number, senderId: number, text: string, clientId: string | null = null): Appendable => ({
    id: s.core.ids.next(),
    appId: s.appId,
    conversationId,
    senderId,
    clientId,
    type: 'text',
    body: { text },
    ext: null,
    createdAt: Date.now(),
  });

  test('sends arriving together are committed in few transactions, with gapless seqs', async () => {
    const { a, c } = await conversation();
    const writer = new GroupCommit(s.core.store);
    const outcomes = await Promise.all(Array.from({ length: 100 }, (_, i) => writer.append(item(c.id, a.id, `t${i}`))));
    assert.deepEqual(outcomes.map((o) => o.stored.seq), Array.from({ length: 100 }, (_, i) => i + 1));
    assert.ok(writer.stats.batches <= 2, `expected one or two batches, got ${writer.stats.batches}`);
    assert.equal(writer.stats.largestBatch >= 50, true);
  });

  test('a failing send fails alone; the others of its batch are stored without a gap', async () => {
    const { a, c } = await conversation();
    const writer = new GroupCommit(s.core.store);
    const results = await Promise.allSettled([
      writer.append(item(c.id, a.id, 'first')),
      writer.append(item(987654321, a.id, 'to a conversation that does not exist')),
      writer.append(item(c.id, a.id, 'second')),
    ]);
    assert.equal(results[0].status, 'fulfilled');
    assert.equal(results[1].status, 'rejected');
    assert.equal(results[2].status, 'fulfilled');
    const page = await s.core.store.messages.page({ conversationId: c.id, afterSeq: 0, beforeSeq: Number.MAX_SAFE_INTEGER, sinceMs: 0, order: 'asc', limit: 10 });
    assert.deepEqual(page.map((m) => [m.seq, m.body.text]), [[1, 'first'], [2, 'second']]);
    assert.equal((await s.core.store.conversations.get(c.id))?.lastSeq, 2);
  });

  test('a repeated client id inside one batch is stored once and answered with the original', async () => {
    const { a, c } = await conversation();
    const writer = new GroupCommit(s.core.store);
    const outcomes = await Promise.all([writer.append(item(c.id, a.id, 'x', 'k1')), writer.append(item(c.id, a.id, 'x again', 'k1')), writer.append(item(c.id, a.id, 'y', 'k2'))]);
    assert.equal(outcomes[0].duplicate, false);
    assert.equal(outcomes[1].duplicate, true);
    assert.equal(outcomes[1].stored.id, outcomes[0].stored.id);
    assert.deepEqual(outcomes.map((o) => o.stored.seq), [1, 1, 2]);
  });
});
