// What must never reach a log line: credentials carried in URLs (the browser
// can only give a WebSocket its token as ?token=, upload credentials and
// signed download links travel as query parameters) and in headers. Logs are
// shipped, kept and read by more people than the tokens' owners.

export const REDACTED = '[Redacted]';

/** Query parameters that carry a credential, in any dialect (compared case-insensitively). */
const SECRET_PARAMS = new Set([
  'token',
  'access_token',
  'access-token',
  'accesstoken',
  'credential',
  'signature',
  'sig',
  'password',
  'secret',
  // lanying's signed group-invite QR payload: whoever holds it may join.
  'qr_info',
  // S3 presigned URLs (a redirect or an error may carry one).
  'x-amz-signature',
  'x-amz-credential',
  'x-amz-security-token',
]);

/** Headers that carry a credential (Node lower-cases incoming names; the spellings of the dialects' documents are listed for code that logs its own objects): native and lanying bearer tokens, lanying `access-token`, legacy `accessToken`, dtalk `FZM-SIGNATURE`, cookies. */
export const SECRET_HEADERS = ['authorization', 'proxy-authorization', 'access-token', 'accesstoken', 'accessToken', 'fzm-signature', 'FZM-SIGNATURE', 'x-parley-upload-credential', 'cookie', 'set-cookie', 'x-amz-security-token'] as const;

// A query parameter anywhere in a text: after ? or &, up to the next & # or whitespace.
const PARAM = /([?&;])([^=&#;\s]+)=([^&#;\s]*)/g;

function isSecretParam(name: string): boolean {
  let decoded = name;
  try {
    decoded = decodeURIComponent(name);
  } catch {
    // a malformed escape: judge the raw name
  }
  return SECRET_PARAMS.has(decoded.toLowerCase());
}

/** The text with the value of every credential-carrying query parameter replaced by the marker. */
export function redactUrls(text: string): string {
  if (!text.includes('=')) return text;
  return text.replace(PARAM, (whole, sep: string, name: string) => (isSecretParam(name) ? `${sep}${name}=${REDACTED}` : whole));
}

/** pino `redact` paths for the secret headers wherever a headers object is logged. */
export function headerRedactPaths(): string[] {
  const parents = ['req.headers', 'res.headers', 'headers', '*.headers'];
  return parents.flatMap((p) => SECRET_HEADERS.map((h) => `${p}["${h}"]`));
}
