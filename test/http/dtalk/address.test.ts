// dtalk addresses through @scure/base's base58check (issue 14 item 10): the
// same addresses as the original's (txchat/pkg test vector) and as the
// textbook definition, for any key.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { ripemd160 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { createBase58check } from '@scure/base';
import fc from 'fast-check';
import { addressOf } from '../../../src/http/dtalk/address.ts';

/** base58check written out from its definition, as the reference. */
function referenceAddress(publicKey: Uint8Array): string {
  const payload = Uint8Array.of(0, ...ripemd160(sha256(publicKey)));
  const all = Uint8Array.of(...payload, ...sha256(sha256(payload)).subarray(0, 4));
  const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
  let n = all.reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
  let out = '';
  while (n > 0n) {
    out = alphabet[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const b of all) {
    if (b !== 0) break;
    out = '1' + out;
  }
  return out;
}

describe('dtalk addresses', () => {
  test('the txchat/pkg vector', () => {
    const key = Buffer.from('022db0e08669b30c5dab8c564b428db4944912144088943ec9b690a9046bc8f78b', 'hex');
    assert.equal(addressOf(key), '1AqutxNoVTtcWiVYpBtvficAgea1dYTddR');
  });

  test('any key: the reference definition, and the payload decodes back with its checksum', () => {
    const check = createBase58check(sha256);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (seed) => {
        let secret: Uint8Array;
        try {
          secret = secp256k1.utils.randomSecretKey(seed);
        } catch {
          return; // not a valid scalar
        }
        const pub = secp256k1.getPublicKey(secret, true);
        const address = addressOf(pub);
        assert.equal(address, referenceAddress(pub));
        assert.deepEqual(check.decode(address), Uint8Array.of(0, ...ripemd160(sha256(pub))));
      }),
      { seed: 14, numRuns: 300 },
    );
  });

  test('a changed character fails the checksum', () => {
    const check = createBase58check(sha256);
    assert.throws(() => check.decode('1AqutxNoVTtcWiVYpBtvficAgea1dYTddS'));
  });
});
