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

/**
 * Values of the right type that are still hostile, per kind: what gets past
 * schema validation and reaches handlers and the database (NUL and lone
 * surrogates in text, ids past 2^53 or negative, huge lists, prototype keys).
 */
export const SNEAKY: Record<'int' | 'string' | 'bool' | 'list' | 'object', readonly unknown[]> = {
  string: ['a\u0000b', '\u0000', 'x\ud800y', '\udfff', 'x'.repeat(100_000), '\u202egnp.exe', '', ' ', '😀'.repeat(2000), '%00', '../../etc/passwd', 'a\r\nb', 'Z\u0300\u0301\u0302', '${7*7}{{7*7}}'],
  int: [new RawJson('9007199254740993'), new RawJson('-9223372036854775809'), new RawJson('18446744073709551615'), -1, 0, 2 ** 53, -(2 ** 53), 2 ** 31, 2 ** 63, new RawJson('1e400'), 1.5, new RawJson('-0')],
  list: [[], Array.from({ length: 10_000 }, (_, i) => i + 1), [new RawJson('9007199254740993')], ['a\u0000'], [-1], [0, 0, 0], [null], [[1]]],
  bool: ['true', 1, 0, null, 'false'],
  object: [{ 'a\u0000': 'b\u0000' }, new RawJson('{"__proto__":{"polluted":1}}'), new RawJson('{"constructor":{"prototype":{"polluted":1}}}'), { x: 'y'.repeat(100_000) }, []],
};
