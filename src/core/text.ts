// Text rules every dialect inherits. No text anywhere holds NUL: PostgreSQL
// refuses it in text and jsonb (the caller got a 500) while SQLite silently
// cuts the text at it, so it is refused before either sees it, the same on
// both. No structured value (a profile, attrs, a message's ext) nests deeper
// than MAX_JSON_DEPTH: thousands deep overflows the stack of whoever walks it
// next (JSON.stringify in the store). The HTTP layer applies both to every
// request (http/input-guard.ts); message validation applies them to sends
// from any transport. Names and titles are one line of printable text;
// longer text (descriptions, notices, announcement content) may also hold
// line breaks and tabs. Control characters in them make no sense and confuse
// whoever displays or logs them.

import { fail } from './errors.ts';

/** C0 controls, DEL and C1 controls. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** The same, but tab, line feed and carriage return are allowed. */
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** A name or title: no control character at all. */
export function checkLine(value: string | undefined, field: string): void {
  if (value !== undefined && CONTROL.test(value)) throw fail('invalid_argument', `${field} must not contain control characters`, { field });
}

/** Free text: line breaks and tabs allowed, other control characters not. */
export function checkParagraphs(value: string | undefined, field: string): void {
  if (value !== undefined && CONTROL_BUT_LINES.test(value)) throw fail('invalid_argument', `${field} must not contain control characters other than tab and line breaks`, { field });
}

/** Deep enough for any real profile, attrs or ext; far below what overflows a stack. */
export const MAX_JSON_DEPTH = 32;

/**
 * Arrays and plain objects, including the null-prototype kinds parsers make
 * (Fastify's query object's prototype is itself a null-prototype object);
 * not Buffers, streams or other class instances.
 */
const isPlainContainer = (v: unknown): v is Record<string, unknown> | unknown[] => {
  if (Array.isArray(v)) return true;
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v) as object | null;
  return proto === Object.prototype || proto === null || Object.getPrototypeOf(proto) === null;
};

/**
 * Throws invalid_argument when `value` (a parsed body, query or path
 * parameters) holds a NUL in any string or key, or is nested deeper than
 * MAX_JSON_DEPTH. Walks without recursion, so the check itself cannot
 * overflow. Buffers and streams (file and protobuf bodies) are not text and
 * are left alone.
 */
export function checkStructuredValue(value: unknown, where: string): void {
  const stack: { v: unknown; depth: number; path: string }[] = [{ v: value, depth: 0, path: where }];
  while (stack.length > 0) {
    const { v, depth, path } = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) throw fail('invalid_argument', `${path} must not contain the NUL character (\\u0000)`, { field: path });
      continue;
    }
    if (!isPlainContainer(v)) continue;
    if (depth >= MAX_JSON_DEPTH) throw fail('invalid_argument', `${where} is nested deeper than ${MAX_JSON_DEPTH} levels`, { maxDepth: MAX_JSON_DEPTH });
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push({ v: v[i], depth: depth + 1, path: `${path}[${i}]` });
      continue;
    }
    for (const [k, item] of Object.entries(v)) {
      if (k.includes('\u0000')) throw fail('invalid_argument', `a field name in ${path} contains the NUL character (\\u0000)`, { field: path });
      stack.push({ v: item, depth: depth + 1, path: `${path}.${k}` });
    }
  }
}
