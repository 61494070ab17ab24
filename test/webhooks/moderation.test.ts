// The moderation hook over real HTTP: accept, refuse with a reason (native
// envelope and dtalk's own), replace the text, and the failure setting (a hook
// that times out or answers garbage: accept by default, refuse when set).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { encode } from '../../src/http/dtalk/proto/codec.ts';
import { commonEnvelope, MsgType } from '../../src/http/dtalk/proto/messages.ts';
import { DtalkCode } from '../../src/http/dtalk/errors.ts';
import { client } from '../support/http.ts';
import { makeUser } from '../support/fixtures.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';
import { DtalkUser, rawPost } from '../http/dtalk/support.ts';

/** The hook's policy, by the text it is shown. */
function moderator(r: WebhookReceiver): void {
  r.answer = (req) => {
    const text = String(req.body?.event?.message?.body?.text ?? '');
    if (text.includes('spam')) return { status: 200, body: JSON.stringify({ action: 'refuse', reason: 'no spam here' }) };
    if (text.includes('darn')) return { status: 200, body: JSON.stringify({ action: 'replace', text: text.replace('darn', 'd**n') }) };
    if (text.includes('slow')) return { status: 200, delayMs: 1500, body: JSON.stringify({ action: 'refuse' }) };
    if (text.includes('garbage')) return { status: 200, body: 'surely not json' };
    return { status: 200, body: JSON.stringify({ action: 'accept' }) };
  };
}

describe('moderation hook (failure: accept)', () => {
  let server: TestServer;
  const hook = new WebhookReceiver();
  before(async () => {
    server = await startTestServer({ config: { moderationTimeoutMs: 300 } });
    moderator(hook);
    const set = await client(server.url, server.adminToken).put('/v1/webhooks/moderation', { url: await hook.start() });
    assert.equal(set.status, 200);
    hook.secret = set.body.secret;
  });
  after(async () => {
    await server.stop();
    await hook.stop();
  });

  test('accept stores as sent; refuse answers message_refused with the reason and stores nothing; replace stores the new text', async () => {
    const [alice, bob] = [await makeUser(server), await makeUser(server)];
    const api = client(server.url, alice.token);
    const ok = await api.post(`/v1/users/${bob.id}/messages`, { type: 'text', body: { text: 'hello' } });
    assert.equal(ok.status, 201);
    assert.equal(ok.body.body.text, 'hello');

    const refused = await api.post(`/v1/users/${bob.id}/messages`, { type: 'text', body: { text: 'buy spam' } });
    assert.equal(refused.status, 422);
    assert.equal(refused.body.error.code, 'message_refused');
    assert.match(refused.body.error.message, /no spam here/);
    assert.equal(refused.body.error.details.reason, 'no spam here');

    const replaced = await api.post(`/v1/users/${bob.id}/messages`, { type: 'text', body: { text: 'oh darn' } });
    assert.equal(replaced.status, 201);
    assert.equal(replaced.body.body.text, 'oh d**n');

    const history = await client(server.url, bob.token).get(`/v1/users/${alice.id}/messages`);
    assert.deepEqual(history.body.items.map((m: { body: { text: string } }) => m.body.text).sort(), ['hello', 'oh d**n']);

    // What the hook was shown, signed with its secret.
    const asked = hook.received.find((r) => r.body.event.message.body.text === 'buy spam');
    assert.ok(asked?.signed && asked.legacySigned, 'signed as Standard Webhooks (checked by the reference library) and with the deprecated header');
    assert.equal(asked.headers['webhook-id'], String(asked.body.id));
    assert.equal(asked.body.type, 'message.before_send');
    assert.equal(asked.body.event.senderId, alice.id);
    assert.equal(asked.body.event.conversation.recipientId, bob.id);
  });

  test('a hook that times out or answers garbage: the send is accepted (the default)', async () => {
    const [alice, bob] = [await makeUser(server), await makeUser(server)];
    const api = client(server.url, alice.token);
    const started = Date.now();
    const slow = await api.post(`/v1/users/${bob.id}/messages`, { type: 'text', body: { text: 'slow one' } });
    assert.equal(slow.status, 201);
    assert.ok(Date.now() - started < 1400, 'the send did not wait for the late answer');
    assert.equal((await api.post(`/v1/users/${bob.id}/messages`, { type: 'text', body: { text: 'garbage' } })).status, 201);
  });

  test("dtalk: a refused send answers in dtalk's envelope (its send pipeline's -10500, as the original answers any refused send)", async () => {
    const [alice, bob] = [new DtalkUser(server), new DtalkUser(server)];
    const f = new FormData();
    const env = commonEnvelope({ channelType: 0, seq: 'mod-1', target: bob.address, msgType: MsgType.Text, msg: encode('imparse.proto.TextMsg', { content: 'more spam' }) });
    f.append('message', new Blob([Buffer.from(env)]), 'message');
    const r = await rawPost(server.url, '/record/push', { 'FZM-SIGNATURE': alice.token() }, f);
    assert.equal(r.status, 200);
    assert.equal(r.body.result, DtalkCode.sendFailed.result, r.text);
    assert.equal(r.body.message, DtalkCode.sendFailed.message);
  });

  test('without a hook nothing is asked', async () => {
    const admin = client(server.url, server.adminToken);
    assert.equal((await admin.delete('/v1/webhooks/moderation')).status, 204);
    assert.equal((await admin.get('/v1/webhooks/moderation')).status, 404);
    const [alice, bob] = [await makeUser(server), await makeUser(server)];
    const before = hook.received.length;
    assert.equal((await client(server.url, alice.token).post(`/v1/users/${bob.id}/messages`, { type: 'text', body: { text: 'spam now passes' } })).status, 201);
    assert.equal(hook.received.length, before);
  });
});

describe('moderation hook (failure: refuse)', () => {
  let server: TestServer;
  const hook = new WebhookReceiver();
  before(async () => {
    server = await startTestServer({ config: { moderationTimeoutMs: 300, moderationOnFailure: 'refuse' } });
    moderator(hook);
    await client(server.url, server.adminToken).put('/v1/webhooks/moderation', { url: await hook.start() });
  });
  after(async () => {
    await server.stop();
    await hook.stop();
  });

  test('a hook that times out or answers garbage refuses the send, saying why', async () => {
    const [alice, bob] = [await makeUser(server), await makeUser(server)];
    const api = client(server.url, alice.token);
    const slow = await api.post(`/v1/users/${bob.id}/messages`, { type: 'text', body: { text: 'slow one' } });
    assert.equal(slow.status, 422);
    assert.equal(slow.body.error.code, 'message_refused');
    assert.match(slow.body.error.message, /did not answer within 300 ms/);
    const garbage = await api.post(`/v1/users/${bob.id}/messages`, { type: 'text', body: { text: 'garbage' } });
    assert.equal(garbage.body.error.code, 'message_refused');
    assert.equal((await api.post(`/v1/users/${bob.id}/messages`, { type: 'text', body: { text: 'fine' } })).status, 201);
  });
});
