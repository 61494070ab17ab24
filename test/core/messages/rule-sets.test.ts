// Core's named rule sets (src/core/messages/context.ts RuleSet): a dialect
// whose original has other limits asks for its set explicitly. And the
// `encrypted` type: opaque bytes, kept exactly.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { defaultMessagingSettings, RuleSet } from '../../../src/core/messages/context.ts';
import { validateMessage } from '../../../src/core/messages/validation.ts';
import { makeUser } from '../../support/fixtures.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';

describe('message rule sets', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ manualClock: true });
  });
  after(() => s.stop());

  test('a 6,000-character text passes the dtalk set and not the native one', async () => {
    const a = await makeUser(s);
    const b = await makeUser(s);
    const input = { type: 'text', body: { text: 'x'.repeat(6000) } };
    await assert.rejects(s.core.messages.send(s.appId, a.id, { userId: b.id }, input), { code: 'invalid_argument' });
    const { message } = await s.core.messages.send(s.appId, a.id, { userId: b.id }, input, undefined, RuleSet.dtalk);
    assert.equal(message.body.text, input.body.text);
  });

  test('a sender revokes within the window of the set the revoke names', async () => {
    const a = await makeUser(s);
    const b = await makeUser(s);
    const send = async () => (await s.core.messages.send(s.appId, a.id, { userId: b.id }, { type: 'text', body: { text: 'hi' } })).message.id;
    const first = await send();
    const second = await send();
    s.clock!.advance(defaultMessagingSettings.revokeWindowSeconds * 1000 + 1);
    await assert.rejects(s.core.messages.revoke(s.appId, a.id, first), { code: 'revoke_window_passed' });
    assert.equal((await s.core.messages.revoke(s.appId, a.id, second, RuleSet.dtalk)).type, 'revoked');
    s.clock!.advance(defaultMessagingSettings.dtalk.revokeWindowSeconds * 1000);
    await assert.rejects(s.core.messages.revoke(s.appId, a.id, first, RuleSet.dtalk), { code: 'revoke_window_passed' });
  });
});

describe('encrypted messages', () => {
  const limits = defaultMessagingSettings;
  test('data is canonical standard base64, kept as given', () => {
    const data = Buffer.from([0, 1, 2, 250, 251, 252]).toString('base64');
    assert.deepEqual(validateMessage({ type: 'encrypted', body: { data, scheme: 'aes-gcm' } }, limits, { serverWritten: false }).body, { data, scheme: 'aes-gcm' });
    for (const bad of ['', 'not base64!', 'AAE', 'AAF=', 'AA==AA==', 42]) {
      assert.throws(() => validateMessage({ type: 'encrypted', body: { data: bad } }, limits, { serverWritten: false }), { code: 'invalid_argument' }, String(bad));
    }
    assert.throws(() => validateMessage({ type: 'encrypted', body: { data: 'AA==', extra: 1 } }, limits, { serverWritten: false }), { code: 'invalid_argument' });
  });

  test('its size counts against maxBytes like any body', () => {
    const data = Buffer.alloc(limits.maxBytes).toString('base64');
    assert.throws(() => validateMessage({ type: 'encrypted', body: { data } }, limits, { serverWritten: false }), { code: 'payload_too_large' });
    assert.doesNotThrow(() => validateMessage({ type: 'encrypted', body: { data } }, limits.dtalk, { serverWritten: false }));
  });
});
