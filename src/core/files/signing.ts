// Parley-signed grants: download URLs and upload credentials, HMAC-SHA256
// with the app's secret (never sent to clients). A grant carries its own
// expiry, so verifying needs no store lookup beyond the app.

import { createHmac, timingSafeEqual } from 'node:crypto';

export function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

export function verify(secret: string, payload: string, signature: string): boolean {
  const expected = Buffer.from(sign(secret, payload));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export const downloadPayload = (fileId: number, expiresAt: number) => `download:${fileId}:${expiresAt}`;

export interface UploadClaims {
  /** app */
  a: number;
  /** the reserved file's id */
  f: number;
  /** key */
  k: string;
  /** largest accepted body */
  m: number;
  /** expires at (ms) */
  e: number;
}

/** `puc1.<claims>.<signature>` */
export function encodeUploadCredential(secret: string, claims: UploadClaims): string {
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `puc1.${body}.${sign(secret, `upload:${body}`)}`;
}

/** The claims if the token is well formed (the signature is checked by the caller, who knows the app). */
export function decodeUploadCredential(token: string): { claims: UploadClaims; check: (secret: string) => boolean } | undefined {
  const m = /^puc1\.([A-Za-z0-9_-]{1,4096})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return undefined;
  try {
    const c = JSON.parse(Buffer.from(m[1], 'base64url').toString()) as UploadClaims;
    if (![c.a, c.f, c.m, c.e].every(Number.isSafeInteger) || typeof c.k !== 'string') return undefined;
    return { claims: c, check: (secret) => verify(secret, `upload:${m[1]}`, m[2]) };
  } catch {
    return undefined;
  }
}
