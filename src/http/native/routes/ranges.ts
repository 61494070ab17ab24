// HTTP byte ranges (RFC 9110 §14) for downloads: players seek in audio and
// video messages with `Range: bytes=a-b`. Parsed by range-parser (Express's
// and `send`'s). One range per request: a header asking for several is
// answered with the whole file, and a malformed one is ignored, as the RFC
// allows (§14.2).

import rangeParser from 'range-parser';
import type { ByteRange } from '../../../core/blobs.ts';

/** The range to send, 'unsatisfiable' (416), or undefined for the whole file. */
export function parseRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const ranges = rangeParser(size, header, { combine: true });
  if (ranges === -2) return undefined;
  if (ranges === -1) return 'unsatisfiable';
  if (ranges.type !== 'bytes' || ranges.length !== 1) return undefined;
  return { start: ranges[0].start, end: ranges[0].end };
}
