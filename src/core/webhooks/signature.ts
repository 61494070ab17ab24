// Every delivery and moderation call is signed as the Standard Webhooks spec
// says (https://www.standardwebhooks.com), so receivers verify it with a
// stock library in any language:
//
//   webhook-id: <the event's id>   webhook-timestamp: <unix seconds>
//   webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">
//
// keyed by the secret's bytes: a `whsec_<base64>` secret (what Parley
// generates) is keyed by the decoded bytes; any other secret (one an admin
// chose, or one generated before this scheme in the URL-safe alphabet) by the
// secret's own bytes, which is what the libraries' "raw" format does.
//
// `Parley-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>"
// keyed by the secret text>` (Stripe's scheme, Parley's first) is still sent
// for one release so receivers written for it keep working; it is deprecated.
// docs/webhooks.md shows how to verify both, with test vectors.

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Deprecated: Parley's first scheme, sent beside the Standard Webhooks headers for one release. */
export const LEGACY_SIGNATURE_HEADER = 'Parley-Signature';

const SECRET_PREFIX = 'whsec_';
/** Standard base64 with its padding, as the reference libraries decode it. */
const STANDARD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** A new endpoint or hook secret: 24 random bytes as `whsec_<base64>`, the form Standard Webhooks libraries take as is. */
export function newWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(24).toString('base64');
}

/** The HMAC key of a secret (see the header comment). */
export function signingKey(secret: string): Buffer {
  const rest = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : '';
  if (rest !== '' && STANDARD_BASE64.test(rest)) return Buffer.from(rest, 'base64');
  return Buffer.from(secret, 'utf8');
}

/** `webhook-signature`'s value for one message. */
export function standardSignature(secret: string, id: string, unixSeconds: number, body: string): string {
  return `v1,${createHmac('sha256', signingKey(secret)).update(`${id}.${unixSeconds}.${body}`).digest('base64')}`;
}

/** The headers that sign one request: Standard Webhooks', and the deprecated `Parley-Signature`. */
export function signedHeaders(secret: string, id: string, unixSeconds: number, body: string): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(unixSeconds),
    'webhook-signature': standardSignature(secret, id, unixSeconds, body),
    [LEGACY_SIGNATURE_HEADER]: legacySignatureHeader(secret, unixSeconds, body),
  };
}

/** Deprecated `Parley-Signature` value: keyed by the secret's text, whatever its form. */
export function legacySignatureHeader(secret: string, unixSeconds: number, body: string): string {
  return `t=${unixSeconds},v1=${createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex')}`;
}

/** What a receiver of the deprecated header does (tests): true when `header` signs `body` within `toleranceSeconds` of `nowSeconds`. */
export function verifyLegacySignature(secret: string, header: string, body: string, nowSeconds: number, toleranceSeconds = 300): boolean {
  const parts = new Map<string, string[]>();
  for (const item of header.split(',')) {
    const eq = item.indexOf('=');
    if (eq < 1) continue;
    const k = item.slice(0, eq).trim();
    parts.set(k, [...(parts.get(k) ?? []), item.slice(eq + 1).trim()]);
  }
  const t = Number(parts.get('t')?.[0]);
  if (!Number.isSafeInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  return (parts.get('v1') ?? []).some((v) => {
    const given = Buffer.from(v, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
