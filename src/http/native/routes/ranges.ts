// HTTP byte ranges (RFC 9110 §14) for downloads: players seek in audio and
// video messages with `Range: bytes=a-b`. One range per request; a header
// asking for several, or malformed, is ignored (the whole file is sent), as
// the RFC allows.

import type { ByteRange } from '../../../core/blobs.ts';

/** The range to send, 'unsatisfiable' (416), or undefined for the whole file. */
export function parseRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    // Suffix: the last n bytes.
    const n = Number(m[2]);
    if (n === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (!Number.isSafeInteger(start) || start >= size) return 'unsatisfiable';
  if (end < start) return undefined;
  return { start, end };
}
