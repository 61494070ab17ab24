// The signature scheme of docs/webhooks.md: the documented test vector is
// what the code makes and what the Standard Webhooks reference library
// (`standardwebhooks`) computes and accepts; the spec's own published vector
// matches; secrets that are not `whsec_<base64>` sign with their raw bytes;
// the deprecated Parley-Signature still verifies and refuses what it must.

import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { legacySignatureHeader, newWebhookSecret, signedHeaders, signingKey, standardSignature, verifyLegacySignature } from '../../src/core/webhooks/signature.ts';
import { standardVerifier } from '../support/webhook-receiver.ts';

const doc = readFileSync(new URL('../../docs/webhooks.md', import.meta.url), 'utf8');
const cell = (name: string) => {
  const m = new RegExp(`^\\| ${name} \\| \`(.+)\` \\|$`, 'm').exec(doc);
  assert.ok(m, `docs/webhooks.md has the test vector's ${name}`);
  return m[1];
};

test('the documented test vector is what deliveries carry, and the reference library agrees', () => {
  const [secret, id, t, body] = [cell('secret'), cell('webhook-id'), Number(cell('webhook-timestamp')), cell('body')];
  const headers = signedHeaders(secret, id, t, body);
  assert.equal(headers['webhook-id'], id);
  assert.equal(headers['webhook-timestamp'], String(t));
  assert.equal(headers['webhook-signature'], cell('webhook-signature'));
  assert.equal(new Webhook(secret).sign(id, new Date(t * 1000), body), cell('webhook-signature'));
  // Independently: HMAC-SHA256 keyed by the base64-decoded secret.
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  assert.equal(`v1,${createHmac('sha256', key).update(`${id}.${t}.${body}`).digest('base64')}`, cell('webhook-signature'));
  assert.equal(headers['Parley-Signature'], cell('Parley-Signature'));
  assert.equal(`t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`, cell('Parley-Signature'));
});

test("the Standard Webhooks spec's published example signs the same here", () => {
  assert.equal(standardSignature('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}'), 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
});

test('generated secrets are whsec_ and standard base64 of 24 bytes, used by the library as they are', () => {
  const secret = newWebhookSecret();
  assert.match(secret, /^whsec_[A-Za-z0-9+/]{32}$/);
  assert.equal(signingKey(secret).length, 24);
  const now = Math.floor(Date.now() / 1000);
  const body = '{"id":1}';
  const headers = signedHeaders(secret, '1', now, body);
  assert.deepEqual(new Webhook(secret).verify(body, headers), { id: 1 });
  assert.throws(() => new Webhook(secret).verify('{"id":2}', headers), /signature/i);
  assert.throws(() => new Webhook(newWebhookSecret()).verify(body, headers), /signature/i);
});

test('any other secret (chosen by an admin, or URL-safe from before) signs with its own bytes: the library raw format', () => {
  const now = Math.floor(Date.now() / 1000);
  const body = '{"id":7}';
  for (const secret of ['my-own-secret-1234', 'whsec_docs_example_secret', 'whsec_Ab-_cdEFghIJklMNopQRstUVwxYZ0123456', 'whsec_abc']) {
    assert.deepEqual(signingKey(secret), Buffer.from(secret), secret);
    const headers = signedHeaders(secret, '7', now, body);
    assert.deepEqual(new Webhook(secret, { format: 'raw' }).verify(body, headers), { id: 7 }, secret);
    assert.deepEqual(standardVerifier(secret).verify(body, headers), { id: 7 }, secret);
  }
  // A URL-safe secret from before without - or _ is standard base64 too: decoded, as the library decodes it.
  const older = 'whsec_AbcdEFghIJklMNopQRstUVwxYZ012345';
  assert.equal(signingKey(older).length, 24);
  assert.deepEqual(new Webhook(older).verify(body, signedHeaders(older, '7', now, body)), { id: 7 });
});

test('the deprecated Parley-Signature refuses a changed body, another secret, an old timestamp and a garbled header', () => {
  const header = legacySignatureHeader('whsec_0123456789abcdef', 1_700_000_000, '{"id":1}');
  assert.equal(verifyLegacySignature('whsec_0123456789abcdef', header, '{"id":1}', 1_700_000_000), true);
  assert.equal(verifyLegacySignature('whsec_0123456789abcdef', header, '{"id":2}', 1_700_000_000), false);
  assert.equal(verifyLegacySignature('whsec_other_secret_000', header, '{"id":1}', 1_700_000_000), false);
  assert.equal(verifyLegacySignature('whsec_0123456789abcdef', header, '{"id":1}', 1_700_000_000 + 301), false);
  assert.equal(verifyLegacySignature('whsec_0123456789abcdef', 'v1=abc', '{"id":1}', 1_700_000_000), false);
});
