// FZM-SIGNATURE, as txchat/pkg v0.0.1 `auth/*` verifies it (the original's source
// "Authentication"): `<sig>#<ms>*<appId>#<pubkey>` where sig is standard
// base64 of r(32)||s(32)||recid(1), a recoverable secp256k1 signature over
// SHA-256 of the metadata text, and pubkey is the hex of a 33-byte compressed
// key. Any parse or crypto failure is -1010; a valid signature older than
// 120 s is -1011 (checked only after the signature; no lower bound).

import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { addressOf } from './address.ts';

export const SIGNATURE_TTL_MS = 120_000;

export type SignatureCheck =
  | { ok: true; address: string; appId: string; timestamp: number }
  | { ok: false; reason: 'invalid' | 'expired'; detail: string };

const invalid = (detail: string): SignatureCheck => ({ ok: false, reason: 'invalid', detail });

function decodeBase64Std(text: string): Uint8Array | undefined {
  // Go's base64.StdEncoding: standard alphabet, padding required.
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  return Buffer.from(text, 'base64');
}

function decodeHex(text: string): Uint8Array | undefined {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) return undefined;
  return Buffer.from(text, 'hex');
}

const INT64_MAX = 2n ** 63n - 1n;

/** True when the compressed `publicKey` signed `digest` with this 65-byte r||s||recid signature. */
export function verifyRecoverable(sig: Uint8Array, digest: Uint8Array, publicKey: Uint8Array): boolean {
  if (sig.length !== 65 || publicKey.length !== 33) return false;
  // haltingstate's check: the top bit of S must be clear (low S), recid 0..3.
  if (sig[32] >= 0x80) return false;
  const recid = sig[64];
  if (recid >= 4) return false;
  try {
    const recovered = secp256k1.Signature.fromBytes(Uint8Array.of(recid, ...sig.subarray(0, 64)), 'recovered')
      .recoverPublicKey(digest)
      .toBytes(true);
    return Buffer.compare(Buffer.from(recovered), Buffer.from(publicKey)) === 0;
  } catch {
    return false;
  }
}

/** Checks an FZM-SIGNATURE header value at time `nowMs`. */
export function checkSignature(token: string, nowMs: number): SignatureCheck {
  const parts = token.split('#');
  if (parts.length < 3) return invalid('token must be <signature>#<metadata>#<publicKey>');
  const [sigText, metadata, keyText] = parts;
  const meta = metadata.split('*');
  if (meta.length < 2) return invalid('metadata must be <ms>*<appId>');
  // Go's strconv.ParseInt(s, 10, 64): 19 digits may still be out of range.
  if (!/^[+-]?[0-9]{1,19}$/.test(meta[0]) || BigInt(meta[0]) > INT64_MAX || BigInt(meta[0]) < -INT64_MAX - 1n) return invalid('metadata timestamp is not an int64');
  const timestamp = Number(meta[0]);
  const sig = decodeBase64Std(sigText);
  if (!sig || sig.length !== 65) return invalid('signature must be 65 bytes of standard base64');
  const key = decodeHex(keyText);
  if (!key || key.length !== 33) return invalid('public key must be 33 bytes of hex (compressed)');
  const digest = sha256(new TextEncoder().encode(metadata));
  if (!verifyRecoverable(sig, digest, key)) return invalid('signature does not match the public key');
  if (nowMs > timestamp + SIGNATURE_TTL_MS) return { ok: false, reason: 'expired', detail: 'signature is older than 120 s' };
  return { ok: true, address: addressOf(key), appId: meta.slice(1).join('*'), timestamp };
}

/** Makes a token the way a dtalk client does (tests and tools). */
export function signToken(privateKey: Uint8Array, timestampMs: number | string, appId: string): string {
  const metadata = `${timestampMs}*${appId}`;
  const digest = sha256(new TextEncoder().encode(metadata));
  const rec = secp256k1.sign(digest, privateKey, { prehash: false, format: 'recovered', lowS: true });
  const sig = Uint8Array.of(...rec.subarray(1), rec[0]);
  const pub = secp256k1.getPublicKey(privateKey, true);
  return `${Buffer.from(sig).toString('base64')}#${metadata}#${Buffer.from(pub).toString('hex')}`;
}
