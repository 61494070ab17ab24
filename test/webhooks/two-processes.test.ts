// Two Parley processes on one PostgreSQL database (each its own pool, bus
// connection and outbox worker) share the deliveries: each event arrives, in
// order per conversation, and no event is ever in two requests at the same
// time. The endpoint is registered through one process after the other one
// cached "no endpoints": the bus tells it (src/bus/webhook-sync.ts).

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { client } from '../support/http.ts';
import { makeUser } from '../support/fixtures.ts';
import { createTestDatabase, skipUnlessPostgres, type TestDatabase } from '../support/database.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';

const skip = skipUnlessPostgres('several processes share an outbox on PostgreSQL only (SQLite: one process)');

describe('webhook delivery shared by two processes', { skip }, () => {
  let db: TestDatabase;
  let one: TestServer;
  let two: TestServer;
  const receiver = new WebhookReceiver();
  before(async () => {
    db = await createTestDatabase({ postgres: true });
    const config = { bus: 'redis://127.0.0.1:6379', busPrefix: `wh${randomBytes(4).toString('hex')}`, webhookTimeoutMs: 2000, webhookRetryBaseMs: 20, webhookPollMs: 20 };
    one = await startTestServer({ db, config: { ...config, nodeId: 1 } });
    two = await startTestServer({ db, config: { ...config, nodeId: 2 } });
  });
  after(async () => {
    await one?.stop();
    await two?.stop();
    await db?.drop();
    await receiver.stop();
  });

  test('every event once in order per conversation, never in two requests at once', async () => {
    const url = await receiver.start();
    let n = 0;
    // Slow enough that both workers hold deliveries at once; every 7th fails, so leases move around.
    receiver.answer = () => (++n % 7 === 0 ? { status: 500 } : { status: 200, delayMs: 15 });
    const users = [await makeUser(one), await makeUser(one), await makeUser(one), await makeUser(one)];
    // Process two caches "this app has no endpoint" first.
    assert.equal((await client(two.url, users[0].token).post(`/v1/users/${users[1].id}/messages`, { type: 'text', body: { text: 'before' } })).status, 201);
    const made = await client(one.url, one.adminToken).post('/v1/webhooks', { url, events: ['messages'] });
    receiver.secret = made.body.secret;
    await new Promise((r) => setTimeout(r, 300)); // the bus notice reaches process two

    const perPair = 12;
    const pairs = [[0, 1], [2, 3], [1, 2], [3, 0]] as const;
    const sends: Promise<{ status: number }>[] = [];
    for (let i = 0; i < perPair; i++) {
      for (const [k, [a, b]] of pairs.entries()) {
        const via = (i + k) % 2 === 0 ? one : two;
        sends.push(client(via.url, users[a].token).post(`/v1/users/${users[b].id}/messages`, { type: 'text', body: { text: `m${i}` } }));
      }
    }
    assert.ok((await Promise.all(sends)).every((r) => r.status === 201));

    const sent = () => receiver.received.filter((r) => r.body?.type === 'message.sent' && r.body.event.message.body.text !== 'before');
    await receiver.until(() => new Set(sent().map((r) => String(r.body.id))).size === perPair * pairs.length, 60_000);
    assert.deepEqual(receiver.overlaps, [], 'no event was in two requests at the same time');
    assert.ok(receiver.received.every((r) => r.signed));
    // Per conversation, in seq order; a retried delivery repeats only itself.
    const byConversation = new Map<number, { id: string; seq: number }[]>();
    for (const r of sent()) {
      const m = r.body.event.message;
      const list = byConversation.get(m.conversationId) ?? [];
      if (list.at(-1)?.id !== String(r.body.id)) list.push({ id: String(r.body.id), seq: m.seq });
      byConversation.set(m.conversationId, list);
    }
    assert.equal(byConversation.size, pairs.length);
    for (const list of byConversation.values()) {
      const seqs = list.map((x) => x.seq);
      assert.deepEqual(seqs, [...seqs].sort((x, y) => x - y));
      assert.equal(new Set(seqs).size, perPair, 'each message once (after folding retries)');
    }
    // The last deliveries are settled (their rows deleted) just after the receiver answered.
    const deadline = Date.now() + 10_000;
    while ((await one.core.webhooks.waiting()) > 0) {
      assert.ok(Date.now() < deadline, 'the outbox empties');
      await new Promise((r) => setTimeout(r, 50));
    }
  });
});
