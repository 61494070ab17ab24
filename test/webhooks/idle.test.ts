// A server where no app has a webhook endpoint never looks at the outbox,
// however busy it is (the worker's polls and per-commit wake-ups cost nothing),
// and still delivers to an endpoint added later: through the API (woken at
// once), or by another process that could not tell it (the `parley webhooks`
// CLI on the same database, no shared bus): found by the slow re-read.
// Runs on SQLite, and on PostgreSQL with PARLEY_TEST_DATABASE_URL.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { makeUser } from '../support/fixtures.ts';
import { client } from '../support/http.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { spyOnStore, type StoreSpy } from '../support/store-spy.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../../bin/parley.mjs', import.meta.url));

const outboxCalls = (spy: StoreSpy) => [...spy.calls].filter(([name]) => name.startsWith('webhooks.outbox.')).reduce((a, [, n]) => a + n, 0);

describe('the webhook worker with no endpoint', () => {
  let db: TestDatabase;
  let server: TestServer;
  const viaApi = new WebhookReceiver();
  const viaCli = new WebhookReceiver();
  // Polls every 10 ms; whether any endpoint exists is re-read every 400 ms (the fallback for a lost notice).
  const config = { webhookPollMs: 10, webhookRetryBaseMs: 20, groupRuleCacheMs: 400 };
  before(async () => {
    db = await createTestDatabase();
    server = await startTestServer({ db, config });
  });
  after(async () => {
    await server.stop();
    await db.drop();
    await viaApi.stop();
    await viaCli.stop();
  });

  async function chat(a: { token: string }, b: { id: number }, text: string) {
    const r = await client(server.url, a.token).post(`/v1/users/${b.id}/messages`, { type: 'text', body: { text } });
    assert.equal(r.status, 201, r.text);
    return r.body;
  }

  test('runs no outbox query over a busy second, then delivers to an endpoint added through the API', async () => {
    const [alice, bob] = [await makeUser(server), await makeUser(server)];
    const spy = spyOnStore(server.core.store);
    const until = Date.now() + 1000;
    for (let i = 0; Date.now() < until; i++) await chat(alice, bob, `quiet ${i}`);
    // About 100 polls and one wake-up per message would each have asked the outbox.
    assert.equal(outboxCalls(spy), 0, `store calls: ${JSON.stringify([...spy.calls])}`);
    assert.ok((spy.calls.get('webhooks.registry.hasEndpoints') ?? 0) <= 4, 'whether endpoints exist is read only every re-read interval');

    const made = await client(server.url, server.adminToken).post('/v1/webhooks', { url: await viaApi.start(), events: ['messages'] });
    assert.equal(made.status, 201);
    viaApi.secret = made.body.secret;
    const m = await chat(alice, bob, 'now someone listens');
    await viaApi.until(() => viaApi.received.some((r) => r.body.event.message.id === m.id), 5000);
    assert.ok(viaApi.received.every((r) => r.signed));
    assert.ok(outboxCalls(spy) > 0);

    // With every endpoint removed, the worker goes quiet again.
    assert.equal((await client(server.url, server.adminToken).delete(`/v1/webhooks/${made.body.id}`)).status, 204);
    await new Promise((r) => setTimeout(r, 100));
    spy.reset();
    for (let i = 0; i < 20; i++) await chat(alice, bob, `quiet again ${i}`);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(outboxCalls(spy), 0, `store calls: ${JSON.stringify([...spy.calls])}`);
  });

  test('an endpoint added by another process that could not tell this one is found by the slow re-read', async () => {
    const [alice, bob] = [await makeUser(server), await makeUser(server)];
    const env = { ...process.env, DATABASE_URL: db.url, PARLEY_DATA_DIR: db.dataDir, LOG_LEVEL: 'silent' };
    const added = JSON.parse((await run(process.execPath, [bin, 'webhooks', 'add', '--url', await viaCli.start(), '--events', 'messages'], { env })).stdout);
    viaCli.secret = added.secret;
    // The endpoint cache of the app and the "any endpoint?" answer both expire within the re-read interval.
    await new Promise((r) => setTimeout(r, 2 * config.groupRuleCacheMs));
    const m = await chat(alice, bob, 'heard without a bus');
    await viaCli.until(() => viaCli.received.some((r) => r.body.event.message.id === m.id), 5000);
    assert.ok(viaCli.received.every((r) => r.signed && r.legacySigned));
  });
});
