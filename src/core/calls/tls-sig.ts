// Tencent TRTC TLSSigAPIv2: UserSig and PrivateMapKey, from the description
// and test vectors in the original's source ("Tencent TRTC UserSig / PrivateMapKey").
// Token = base64(zlib(JSON document)) with + → *, / → -, = → _; the document
// carries TLS.sig = base64(HMAC-SHA256(key, string to sign)).

import { createHmac, timingSafeEqual } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';

export interface SigInput {
  sdkAppId: number;
  /** The SDKAppID's secret key, used as raw UTF-8 bytes. */
  key: string;
  identifier: string;
  /** Lifetime in seconds. */
  expire: number;
  /** Issue time, Unix seconds. */
  time: number;
}

export interface SigDocument {
  'TLS.ver': string;
  'TLS.identifier': string;
  'TLS.sdkappid': number;
  'TLS.expire': number;
  'TLS.time': number;
  'TLS.sig': string;
  'TLS.userbuf'?: string;
}

/** Privilege bits of a PrivateMapKey; 255 = all (dtalk's choice). */
export const Privilege = { create: 1, enter: 2, sendAudio: 4, recvAudio: 8, sendVideo: 16, recvVideo: 32, sendSub: 64, recvSub: 128, all: 255 } as const;

/** `TLS.sig` over the documented string to sign (userbuf already base64). */
export function hmacSig(i: SigInput, userbufB64?: string): string {
  let content = `TLS.identifier:${i.identifier}\nTLS.sdkappid:${i.sdkAppId}\nTLS.time:${i.time}\nTLS.expire:${i.expire}\n`;
  if (userbufB64 !== undefined) content += `TLS.userbuf:${userbufB64}\n`;
  return createHmac('sha256', Buffer.from(i.key, 'utf8')).update(content).digest('base64');
}

const toUrlSafe = (b64: string) => b64.replaceAll('+', '*').replaceAll('/', '-').replaceAll('=', '_');
const fromUrlSafe = (s: string) => s.replaceAll('*', '+').replaceAll('-', '/').replaceAll('_', '=');

function encode(i: SigInput, userbuf?: Buffer): string {
  const ub = userbuf?.toString('base64');
  const doc: SigDocument = {
    'TLS.ver': '2.0',
    'TLS.identifier': i.identifier,
    'TLS.sdkappid': i.sdkAppId,
    'TLS.expire': i.expire,
    'TLS.time': i.time,
    'TLS.sig': hmacSig(i, ub),
    ...(ub !== undefined ? { 'TLS.userbuf': ub } : {}),
  };
  return toUrlSafe(deflateSync(Buffer.from(JSON.stringify(doc))).toString('base64'));
}

export function genUserSig(i: SigInput): string {
  return encode(i);
}

/**
 * The PrivateMapKey userbuf for a numeric room (big-endian): 0, account
 * length (2), account, sdkappid (4), roomid (4), absolute expiry = time +
 * expire (4, low 32 bits), privilege map (4), account type 0 (4).
 */
export function privateMapUserbuf(i: SigInput, roomId: number, privilegeMap: number): Buffer {
  const account = Buffer.from(i.identifier, 'utf8');
  const buf = Buffer.alloc(1 + 2 + account.length + 20);
  let o = 0;
  buf.writeUInt8(0, o);
  o += 1;
  buf.writeUInt16BE(account.length, o);
  o += 2;
  account.copy(buf, o);
  o += account.length;
  buf.writeUInt32BE(i.sdkAppId >>> 0, o);
  buf.writeUInt32BE(roomId >>> 0, o + 4);
  buf.writeUInt32BE((i.time + i.expire) >>> 0, o + 8);
  buf.writeUInt32BE(privilegeMap >>> 0, o + 12);
  buf.writeUInt32BE(0, o + 16);
  return buf;
}

export function genPrivateMapKey(i: SigInput, roomId: number, privilegeMap: number = Privilege.all): string {
  return encode(i, privateMapUserbuf(i, roomId, privilegeMap));
}

/** Decodes and checks a token the way TLSSigAPIv2's VerifyUserSig does; returns why not, or the document. */
export function verifySig(token: string, expect: { sdkAppId: number; key: string; identifier: string; now: number }): { ok: true; doc: SigDocument } | { ok: false; reason: string } {
  let doc: SigDocument;
  try {
    doc = JSON.parse(inflateSync(Buffer.from(fromUrlSafe(token), 'base64')).toString('utf8')) as SigDocument;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (doc['TLS.sdkappid'] !== expect.sdkAppId) return { ok: false, reason: 'sdkappid' };
  if (doc['TLS.identifier'] !== expect.identifier) return { ok: false, reason: 'identifier' };
  if (expect.now > doc['TLS.time'] + doc['TLS.expire']) return { ok: false, reason: 'expired' };
  const sig = hmacSig({ sdkAppId: doc['TLS.sdkappid'], key: expect.key, identifier: doc['TLS.identifier'], expire: doc['TLS.expire'], time: doc['TLS.time'] }, doc['TLS.userbuf']);
  const a = Buffer.from(sig);
  const b = Buffer.from(doc['TLS.sig'] ?? '');
  if (a.length !== b.length || !timingSafeEqual(a, b)) return { ok: false, reason: 'signature' };
  return { ok: true, doc };
}
