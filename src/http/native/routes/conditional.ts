// Conditional requests on downloads (RFC 9110 §13): If-Match and
// If-Unmodified-Since (412), If-None-Match and If-Modified-Since (304), and
// If-Range (a Range is honoured only while the file is unchanged), evaluated
// in the order §13.2.2 gives. A file's ETag is its MD5, a strong validator;
// If-None-Match compares weakly (W/"x" matches "x"), If-Match and If-Range
// strongly.

export interface Validators {
  /** The quoted strong entity tag, `"<md5>"`. */
  etag: string;
  /** Last modification, ms since the epoch. */
  lastModified: number;
}

export type Precondition = 'proceed' | 'not-modified' | 'failed';

interface Headers {
  'if-match'?: string | undefined;
  'if-none-match'?: string | undefined;
  'if-modified-since'?: string | undefined;
  'if-unmodified-since'?: string | undefined;
  'if-range'?: string | undefined;
}

/** The entity tags of an If-Match / If-None-Match list, or '*'. Tags may hold commas, so they are read by their quotes. */
function tagList(header: string): '*' | { weak: boolean; opaque: string }[] {
  if (header.trim() === '*') return '*';
  const tags: { weak: boolean; opaque: string }[] = [];
  for (const m of header.matchAll(/(W\/)?"([^"]*)"/g)) tags.push({ weak: m[1] !== undefined, opaque: m[2] });
  return tags;
}

const opaque = (etag: string) => etag.replace(/^W\//, '').replace(/^"|"$/g, '');

/** An HTTP-date as whole seconds, or undefined when it is not a date. */
function seconds(date: string | undefined): number | undefined {
  if (date === undefined) return undefined;
  const ms = Date.parse(date);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

/** What the preconditions of a GET or HEAD say: go on, 304, or 412. */
export function evaluatePreconditions(h: Headers, v: Validators): Precondition {
  const ours = opaque(v.etag);
  const modified = Math.floor(v.lastModified / 1000);
  // §13.2.2 step 1, else step 2.
  if (h['if-match'] !== undefined) {
    const tags = tagList(h['if-match']);
    if (tags !== '*' && !tags.some((t) => !t.weak && t.opaque === ours)) return 'failed';
  } else {
    const since = seconds(h['if-unmodified-since']);
    if (since !== undefined && modified > since) return 'failed';
  }
  // Step 3, else step 4 (GET and HEAD only, which is all this serves).
  if (h['if-none-match'] !== undefined) {
    const tags = tagList(h['if-none-match']);
    if (tags === '*' || tags.some((t) => t.opaque === ours)) return 'not-modified';
  } else {
    const since = seconds(h['if-modified-since']);
    if (since !== undefined && modified <= since) return 'not-modified';
  }
  return 'proceed';
}

/** §13.1.5: whether a Range may be honoured. An If-Range names the file as the client has it: a strong ETag or the exact Last-Modified. */
export function rangeStillValid(ifRange: string | string[] | undefined, v: Validators): boolean {
  if (ifRange === undefined) return true;
  if (typeof ifRange !== 'string') return false;
  const value = ifRange.trim();
  if (value.startsWith('"')) return value === v.etag;
  if (value.startsWith('W/')) return false;
  return seconds(value) === Math.floor(v.lastModified / 1000);
}
