// A delivery that keeps failing is retried until PARLEY_WEBHOOK_RETRY_HOURS
// after its event, then dropped (counted), and the next delivery of its
// conversation goes. The server's clock is moved instead of waiting hours.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { retryDelay } from '../../src/core/webhooks/delivery.ts';
import { client } from '../support/http.ts';
import { makeUser } from '../support/fixtures.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';

test('retry delays grow exponentially with jitter, between half and all of the capped ceiling', () => {
  const s = { retryBaseMs: 1000, retryCapMs: 60_000 };
  assert.equal(retryDelay(s, 1, () => 0), 500);
  assert.equal(retryDelay(s, 1, () => 0.999), 999);
  assert.equal(retryDelay(s, 4, () => 0), 4000);
  assert.equal(retryDelay(s, 30, () => 0), 30_000);
  assert.ok(retryDelay(s, 30, () => 0.999) <= 60_000);
});

describe('the retry window', () => {
  let server: TestServer;
  const receiver = new WebhookReceiver();
  before(async () => {
    server = await startTestServer({ manualClock: true, config: { webhookRetryHours: 1, webhookRetryBaseMs: 10, webhookPollMs: 20, webhookTimeoutMs: 500 } });
  });
  after(async () => {
    await server.stop();
    await receiver.stop();
  });

  test('a delivery failing past the window is dropped and counted; its conversation goes on', async () => {
    const url = await receiver.start();
    receiver.answer = (r) => (r.body?.event?.message?.body?.text === 'doomed' ? { status: 500 } : { status: 200 });
    const made = await client(server.url, server.adminToken).post('/v1/webhooks', { url, events: ['messages'] });
    receiver.secret = made.body.secret;
    const [alice, bob] = [await makeUser(server), await makeUser(server)];
    const api = client(server.url, alice.token);
    await api.post(`/v1/users/${bob.id}/messages`, { type: 'text', body: { text: 'doomed' } });
    await api.post(`/v1/users/${bob.id}/messages`, { type: 'text', body: { text: 'next' } });

    // Tried (and retried while the clock stands still), never past the first: order holds.
    await receiver.until(() => receiver.received.length >= 1);
    // Settled before the clock moves: a failure recorded after the move would
    // schedule its retry past the (again frozen) clock, and it would never come.
    await until(async () => (await deliveryCounts(server)).includes('outcome="failed"} 1'));
    server.clock!.advance(10 * 60_000);
    await receiver.until(() => receiver.received.length >= 2);
    // Settled (a moved clock would otherwise lapse the lease of a delivery still in flight).
    await until(async () => (await deliveryCounts(server)).includes('outcome="failed"} 2'));
    assert.ok(receiver.received.every((r) => r.body.event.message.body.text === 'doomed'), 'the next one waits behind the failing one');

    // Past the window: the next failure drops it, and `next` is delivered.
    server.clock!.advance(3_600_000);
    await receiver.until(() => receiver.received.some((r) => r.body.event.message.body.text === 'next'));
    await until(async () => (await deliveryCounts(server)).includes('outcome="delivered"} 1'));
    const metrics = await deliveryCounts(server);
    assert.match(metrics, new RegExp(`parley_webhook_deliveries_total\\{app="${server.appId}",outcome="dropped"\\} 1`));
    assert.match(metrics, new RegExp(`parley_webhook_deliveries_total\\{app="${server.appId}",outcome="delivered"\\} 1`));
  });
});

async function deliveryCounts(server: TestServer): Promise<string> {
  return (await (await fetch(`${server.url}/metrics`)).text()).split('\n').filter((l) => l.startsWith('parley_webhook_deliveries_total')).join('\n');
}

async function until(ok: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 30));
  }
}
