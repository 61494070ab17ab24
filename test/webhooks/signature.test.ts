// The signature scheme of docs/webhooks.md: the documented test vector is
// what the code makes, computed here independently with node:crypto too, and
// verification refuses a changed body, another secret and an old timestamp.

import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { signatureHeader, verifySignature } from '../../src/core/webhooks/signature.ts';

const doc = readFileSync(new URL('../../docs/webhooks.md', import.meta.url), 'utf8');
const cell = (name: string) => {
  const m = new RegExp(`^\\| ${name} \\| \`(.+)\` \\|$`, 'm').exec(doc);
  assert.ok(m, `docs/webhooks.md has the test vector's ${name}`);
  return m[1];
};

test('the documented test vector is what deliveries carry', () => {
  const [secret, t, body, header] = [cell('secret'), Number(cell('t')), cell('body'), cell('header')];
  assert.equal(signatureHeader(secret, t, body), header);
  assert.equal(`t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`, header);
  assert.equal(verifySignature(secret, header, body, t + 10), true);
});

test('verification refuses a changed body, another secret, an old timestamp and a garbled header', () => {
  const header = signatureHeader('whsec_0123456789abcdef', 1_700_000_000, '{"id":1}');
  assert.equal(verifySignature('whsec_0123456789abcdef', header, '{"id":1}', 1_700_000_000), true);
  assert.equal(verifySignature('whsec_0123456789abcdef', header, '{"id":2}', 1_700_000_000), false);
  assert.equal(verifySignature('whsec_other_secret_000', header, '{"id":1}', 1_700_000_000), false);
  assert.equal(verifySignature('whsec_0123456789abcdef', header, '{"id":1}', 1_700_000_000 + 301), false);
  assert.equal(verifySignature('whsec_0123456789abcdef', 'v1=abc', '{"id":1}', 1_700_000_000), false);
});
