// TLSSigAPIv2 against the fixed-time vectors in the original's source.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import { genPrivateMapKey, genUserSig, hmacSig, privateMapUserbuf, verifySig } from '../../src/core/calls/tls-sig.ts';

const input = { sdkAppId: 1400000000, key: '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e', identifier: 'xiaojun', expire: 86400, time: 1700000000 };
const decode = (token: string) => JSON.parse(inflateSync(Buffer.from(token.replaceAll('*', '+').replaceAll('-', '/').replaceAll('_', '='), 'base64')).toString()) as Record<string, unknown>;

test('UserSig: TLS.sig matches the vector, and the token decodes to the documented document', () => {
  assert.equal(hmacSig(input), 'SNF4FmVCPucoXsBOpbVF3fFCf57JPm0ezZ1jeVILlVc=');
  const token = genUserSig(input);
  assert.match(token, /^[A-Za-z0-9*_-]+$/, 'url-safe alphabet: + → *, / → -, = → _');
  assert.deepEqual(decode(token), {
    'TLS.ver': '2.0',
    'TLS.identifier': 'xiaojun',
    'TLS.sdkappid': 1400000000,
    'TLS.expire': 86400,
    'TLS.time': 1700000000,
    'TLS.sig': 'SNF4FmVCPucoXsBOpbVF3fFCf57JPm0ezZ1jeVILlVc=',
  });
});

test('PrivateMapKey: userbuf bytes and TLS.sig match the vectors (room 10000, privilege 255)', () => {
  const buf = privateMapUserbuf(input, 10000, 255);
  assert.equal(buf.toString('hex'), '0000077869616f6a756e53724e000000271065554280000000ff00000000');
  assert.equal(buf.length, 30);
  assert.equal(buf.toString('base64'), 'AAAHeGlhb2p1blNyTgAAACcQZVVCgAAAAP8AAAAA');
  const doc = decode(genPrivateMapKey(input, 10000, 255));
  assert.equal(doc['TLS.userbuf'], 'AAAHeGlhb2p1blNyTgAAACcQZVVCgAAAAP8AAAAA');
  assert.equal(doc['TLS.sig'], 'm5WPLBP4ZpMhjE/+GSzmHQEKbLMxsvWih1uhJTQ0sPw=');
});

test('verification: accepts its own tokens, refuses a wrong key, identifier, app or an expired one', () => {
  const token = genUserSig(input);
  const at = { sdkAppId: input.sdkAppId, key: input.key, identifier: 'xiaojun', now: input.time + 10 };
  assert.equal(verifySig(token, at).ok, true);
  assert.deepEqual(verifySig(token, { ...at, key: 'other' }), { ok: false, reason: 'signature' });
  assert.deepEqual(verifySig(token, { ...at, identifier: 'someone' }), { ok: false, reason: 'identifier' });
  assert.deepEqual(verifySig(token, { ...at, sdkAppId: 1 }), { ok: false, reason: 'sdkappid' });
  assert.deepEqual(verifySig(token, { ...at, now: input.time + input.expire + 1 }), { ok: false, reason: 'expired' });
  assert.deepEqual(verifySig('not a token', at), { ok: false, reason: 'malformed' });
  // The Go library's own round-trip case: sdkappid 1, key "2", user "3", expire 4.
  const small = { sdkAppId: 1, key: '2', identifier: '3', expire: 4, time: 100 };
  assert.equal(verifySig(genPrivateMapKey(small, 5), { sdkAppId: 1, key: '2', identifier: '3', now: 104 }).ok, true);
});
