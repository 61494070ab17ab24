// Webhooks end to end over real HTTP: a real receiver that fails (500), times
// out and comes back. Every event arrives at least once, in commit order per
// conversation, duplicates carry the same id, every request is signed; the
// failing endpoint shows in the API and the metric while the healthy one is
// not held up. Runs on SQLite, and on PostgreSQL with PARLEY_TEST_DATABASE_URL.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { client } from '../support/http.ts';
import { makeUser } from '../support/fixtures.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';

const fast = { webhookTimeoutMs: 300, webhookRetryBaseMs: 20, webhookPollMs: 50, webhookFailingAfter: 3 };

/** Per ordering key, the message seqs in arrival order, with a repeat of the same delivery folded. */
function seqsByConversation(r: WebhookReceiver, type = 'message.sent'): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const lastId = new Map<string, string>();
  for (const x of r.received) {
    if (x.body?.type !== type) continue;
    const m = x.body.event.message;
    const key = m.groupId !== null ? `g:${m.groupId}` : `c:${m.conversationId}`;
    if (lastId.get(key) === String(x.body.id)) continue;
    lastId.set(key, String(x.body.id));
    out.set(key, [...(out.get(key) ?? []), m.seq]);
  }
  return out;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('webhook endpoints (admin API)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ config: fast });
  });
  after(() => server.stop());

  test('an app admin registers, lists, changes and removes endpoints; users may not; bad input is refused', async () => {
    const admin = client(server.url, server.adminToken);
    const user = await makeUser(server);
    const asUser = await client(server.url, user.token).post('/v1/webhooks', { url: 'http://127.0.0.1:9/x', events: ['messages'] });
    assert.equal(asUser.status, 403);
    assert.equal(asUser.body.error.code, 'admin_required');

    const badUrl = await admin.post('/v1/webhooks', { url: 'ftp://example.com/x', events: ['messages'] });
    assert.equal(badUrl.status, 400);
    assert.equal(badUrl.body.error.code, 'invalid_argument');
    const badEvents = await admin.post('/v1/webhooks', { url: 'http://127.0.0.1:9/x', events: ['gossip'] });
    assert.equal(badEvents.status, 400);
    const shortSecret = await admin.post('/v1/webhooks', { url: 'http://127.0.0.1:9/x', events: ['messages'], secret: 'short' });
    assert.equal(shortSecret.status, 400);

    const made = await admin.post('/v1/webhooks', { url: 'http://127.0.0.1:9/x', events: ['messages', 'revokes'] });
    assert.equal(made.status, 201);
    assert.match(made.body.secret, /^whsec_/);
    assert.deepEqual(made.body.events, ['messages', 'revokes']);
    assert.equal(made.body.failing, false);

    const list = await admin.get('/v1/webhooks');
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.items.map((e: { id: number }) => e.id), [made.body.id]);
    assert.equal(list.body.items[0].secret, undefined, 'secrets are shown once, at creation');

    const patched = await admin.patch(`/v1/webhooks/${made.body.id}`, { events: ['calls'] });
    assert.equal(patched.status, 200);
    assert.deepEqual(patched.body.events, ['calls']);

    assert.equal((await admin.delete(`/v1/webhooks/${made.body.id}`)).status, 204);
    const gone = await admin.get(`/v1/webhooks/${made.body.id}`);
    assert.equal(gone.status, 404);
    assert.equal(gone.body.error.code, 'not_found');
  });
});

describe('webhook delivery through failures', () => {
  let server: TestServer;
  const flaky = new WebhookReceiver();
  const healthy = new WebhookReceiver();
  before(async () => {
    server = await startTestServer({ config: fast });
  });
  after(async () => {
    await server.stop();
    await flaky.stop();
    await healthy.stop();
  });

  test('every event arrives at least once and in order per conversation; the failing endpoint is shown and does not hold up the other', async () => {
    const admin = client(server.url, server.adminToken);
    const flakyUrl = await flaky.start();
    const healthyUrl = await healthy.start();
    // The flaky endpoint fails with 500s, then hangs past the timeout, then comes back.
    let phase: 'fail' | 'hang' | 'ok' = 'fail';
    flaky.answer = () => (phase === 'fail' ? { status: 500 } : phase === 'hang' ? { status: 200, delayMs: 1000 } : { status: 200 });
    const a = await admin.post('/v1/webhooks', { url: flakyUrl, events: ['messages', 'membership', 'groups'] });
    const b = await admin.post('/v1/webhooks', { url: healthyUrl, events: ['messages'] });
    flaky.secret = a.body.secret;
    healthy.secret = b.body.secret;

    const [owner, alice, bob] = [await makeUser(server), await makeUser(server), await makeUser(server)];
    const group = (await client(server.url, owner.token).post('/v1/groups', { name: 'hooks', memberIds: [alice.id] })).body.group.id as number;
    const sends: Promise<unknown>[] = [];
    for (let i = 0; i < 15; i++) {
      // Several in flight at once per conversation: their commit order is their seq order.
      sends.push(client(server.url, alice.token).post(`/v1/groups/${group}/messages`, { type: 'text', body: { text: `g${i}` } }));
      sends.push(client(server.url, alice.token).post(`/v1/users/${bob.id}/messages`, { type: 'text', body: { text: `p${i}` } }));
    }
    const answers = (await Promise.all(sends)) as { status: number }[];
    assert.ok(answers.every((r) => r.status === 201), 'every send was stored');

    // The healthy endpoint gets everything while the other one fails.
    await healthy.until(() => [...seqsByConversation(healthy).values()].flat().length >= 30 + 1);
    await flaky.until(() => flaky.received.length >= 4);
    const failing = (await admin.get(`/v1/webhooks/${a.body.id}`)).body;
    assert.equal(failing.failing, true);
    assert.match(failing.lastError, /HTTP 500/);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    assert.match(metrics, new RegExp(`parley_webhook_endpoint_failing\\{app="${server.appId}"\\} 1`));
    assert.equal((await admin.get(`/v1/webhooks/${b.body.id}`)).body.failing, false);

    phase = 'hang';
    const beforeHang = flaky.received.length;
    await flaky.until(() => flaky.received.length >= beforeHang + 2);
    phase = 'ok';

    // The group's notice (seq 1: created / members joined) and 15 sends; the private chat's 15.
    const everything = () => {
      const byKey = seqsByConversation(flaky);
      return byKey.get(`g:${group}`)?.length === 17 || byKey.get(`g:${group}`)?.length === 16;
    };
    await flaky.until(() => everything() && [...seqsByConversation(flaky).values()].flat().length >= 31);
    await waitFor(async () => (await admin.get('/v1/webhooks')).body.waiting === 0);

    for (const r of [flaky, healthy]) {
      // Checked by the `standardwebhooks` package as a receiver would, and the deprecated header by our verifier.
      assert.ok(r.received.every((x) => x.signed), 'every request passes the Standard Webhooks reference library');
      assert.ok(r.received.every((x) => x.legacySigned), 'every request still carries a valid Parley-Signature');
      for (const x of r.received) assert.equal(x.headers['webhook-id'], String(x.body.id), 'webhook-id is the event id, on every retry');
      for (const [key, seqs] of seqsByConversation(r)) assert.deepEqual(seqs, range(seqs.length), `${key} arrived in order, without gaps`);
    }
    // Duplicates (retries after a timeout) are the same event: same id, same body.
    const bodies = new Map<string, string>();
    for (const x of flaky.received) {
      const id = String(x.body.id);
      if (bodies.has(id)) assert.equal(bodies.get(id), x.raw);
      bodies.set(id, x.raw);
    }
    assert.ok(flaky.received.length > flaky.ids().size, 'the failures made retries');
    // Group changes arrived too (membership and groups categories), ordered with the group's messages.
    const types = new Set(flaky.received.map((x) => x.body.type));
    assert.ok(types.has('group.created') && types.has('group.members_joined'), [...types].join(','));
    assert.ok(!healthy.received.some((x) => x.body.type.startsWith('group.')), 'an endpoint gets only the categories it asked for');

    const healed = (await admin.get(`/v1/webhooks/${a.body.id}`)).body;
    assert.equal(healed.failing, false);
    assert.equal(healed.consecutiveFailures, 0);
  });
});

describe('webhook signatures with secrets of every form', () => {
  let server: TestServer;
  const receivers = [new WebhookReceiver(), new WebhookReceiver(), new WebhookReceiver()];
  before(async () => {
    server = await startTestServer({ config: fast });
  });
  after(async () => {
    await server.stop();
    for (const r of receivers) await r.stop();
  });

  test('a generated secret, an admin-chosen one and a URL-safe one from before all verify with the reference library; a reply carries its ids, not the quote', async () => {
    const admin = client(server.url, server.adminToken);
    const secrets = [undefined, 'our-own-chosen-secret-123', 'whsec_Ab-_cdEFghIJklMNopQRstUVwxYZ01'];
    for (const [i, r] of receivers.entries()) {
      const made = await admin.post('/v1/webhooks', { url: await r.start(), events: ['messages'], ...(secrets[i] ? { secret: secrets[i] } : {}) });
      assert.equal(made.status, 201, made.text);
      r.secret = made.body.secret;
    }
    assert.match(receivers[0].secret, /^whsec_[A-Za-z0-9+/]{32}$/);
    const [alice, bob] = [await makeUser(server), await makeUser(server)];
    const first = (await client(server.url, alice.token).post(`/v1/users/${bob.id}/messages`, { type: 'text', body: { text: 'quoted text' } })).body;
    const reply = (await client(server.url, bob.token).post(`/v1/users/${alice.id}/messages`, { type: 'text', body: { text: 'a reply' }, replyTo: first.id })).body;
    for (const r of receivers) {
      await r.until(() => r.received.some((x) => x.body.event.message.id === reply.id));
      assert.ok(r.received.every((x) => x.signed && x.legacySigned), `${r.secret}: every request verifies`);
      // The app's backend is trusted with every message: the reply names the quoted one, the quote is not copied in.
      const delivered = r.received.find((x) => x.body.event.message.id === reply.id)!.body.event.message;
      assert.equal(delivered.replyToId, first.id);
      assert.equal(delivered.replyTo, undefined);
    }
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
