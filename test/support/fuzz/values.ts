// Hostile values for the fuzz suite: wrong types, NUL and lone surrogates,
// numbers beyond 2^53 (sent as raw JSON digits), huge and deeply nested values.

import fc from 'fast-check';

/** JSON text sent as-is where a value goes (a number no JavaScript number can hold, a deep nest). */
export class RawJson {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
  toString(): string {
    return this.text.length > 60 ? `Raw(${this.text.slice(0, 30)}…${this.text.length} chars)` : `Raw(${this.text})`;
  }
}

const HUGE = 'x'.repeat(200_000);
const deep = (n: number) => new RawJson(`${'['.repeat(n)}${']'.repeat(n)}`);
const deepObject = (n: number) => new RawJson(`${'{"a":'.repeat(n)}1${'}'.repeat(n)}`);

const BIG_NUMBERS = ['9007199254740993', '9223372036854775807', '9223372036854775808', '18446744073709551616', '-9223372036854775809', '1e400', '-1e400', '1E2', '0.0000001', '-0', '123456789012345678901234567890'];

export const hostileScalar: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, -0.5, 1e308, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, '', ' ', '0', '-1', 'null', 'true', '[]', '{}', 'NaN'),
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.constantFrom('\u0000', 'a\u0000b', '\ud800', 'x\udfffy', '\ud83d', '\u202e\u0000', '%00', '\\u0000', '<script>', "'; DROP TABLE groups; --"),
  fc.integer(),
  fc.bigInt({ min: -(1n << 80n), max: 1n << 80n }).map((n) => new RawJson(n.toString())),
  fc.constantFrom(...BIG_NUMBERS.map((t) => new RawJson(t))),
);

/** Huge and deep: rare, they cost time. */
export const hostileBulk: fc.Arbitrary<unknown> = fc.constantFrom<unknown>(HUGE, 'y'.repeat(5000), Array.from({ length: 5000 }, (_, i) => i), deep(64), deep(5000), deepObject(2000));

export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { arbitrary: hostileScalar, weight: 8 },
    { arbitrary: fc.array(tie('value'), { maxLength: 4 }), weight: 2 },
    { arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), tie('value'), { maxKeys: 4 }), weight: 1 },
    { arbitrary: hostileBulk, weight: 1 },
  ),
})).value;

/** A value as JSON text, raw numbers and nests included. */
export function toJson(v: unknown): string {
  if (v instanceof RawJson) return v.text;
  if (Array.isArray(v)) return `[${v.map(toJson).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${toJson(x)}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

/** A value as it goes into a query string, a form field or a path segment. */
export function toText(v: unknown): string {
  if (v instanceof RawJson) return v.text;
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(toText).join(',');
  return toJson(v);
}

/** Percent-encoding that survives lone surrogates: they go out as the invalid UTF-8 bytes they would be. */
export function encode(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= 0xd800 && c <= 0xdfff) out += `%${(0xe0 | (c >> 12)).toString(16)}%${(0x80 | ((c >> 6) & 0x3f)).toString(16)}%${(0x80 | (c & 0x3f)).toString(16)}`;
    else out += encodeURIComponent(ch);
  }
  return out;
}

/** Short, printable description of a value for a failure report. */
export function show(v: unknown): string {
  const s = v instanceof RawJson ? String(v) : toJson(v);
  return s.length > 80 ? `${s.slice(0, 60)}…(${s.length} chars)` : s;
}
