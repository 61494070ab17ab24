// A dtalk user is named by the Bitcoin-style P2PKH address of their
// compressed secp256k1 key: base58check(0x00 || RIPEMD160(SHA256(key)))
// (txchat/pkg `address/*`, the original's source "Authentication"). The
// base58check (checksum = first 4 bytes of double SHA-256) is @scure/base's.

import { ripemd160 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { createBase58check } from '@scure/base';

const base58check = createBase58check(sha256);

/** The P2PKH address (version byte 0x00) of a 33-byte compressed public key. */
export function addressOf(compressedPublicKey: Uint8Array): string {
  const h = ripemd160(sha256(compressedPublicKey));
  const payload = new Uint8Array(21);
  payload.set(h, 1);
  return base58check.encode(payload);
}

