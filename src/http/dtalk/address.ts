// A dtalk user is named by the Bitcoin-style P2PKH address of their
// compressed secp256k1 key: base58check(0x00 || RIPEMD160(SHA256(key)))
// (txchat/pkg `address/*`, spec/origins.md "Authentication").

import { ripemd160 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

export function base58(bytes: Uint8Array): string {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  let out = '';
  while (n > 0n) {
    out = ALPHABET[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    out = '1' + out;
  }
  return out;
}

export function base58check(payload: Uint8Array): string {
  const checksum = sha256(sha256(payload)).subarray(0, 4);
  const all = new Uint8Array(payload.length + 4);
  all.set(payload);
  all.set(checksum, payload.length);
  return base58(all);
}

/** The P2PKH address (version byte 0x00) of a 33-byte compressed public key. */
export function addressOf(compressedPublicKey: Uint8Array): string {
  const h = ripemd160(sha256(compressedPublicKey));
  const payload = new Uint8Array(21);
  payload.set(h, 1);
  return base58check(payload);
}

