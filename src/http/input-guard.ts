// What no request may carry, in any dialect: text with a NUL character, and
// JSON nested deeper than MAX_JSON_DEPTH. PostgreSQL refuses NUL in text and
// jsonb (a 500) while SQLite silently cuts the text at it, so NUL is refused
// before either sees it, the same on both; and a value nested thousands deep
// overflows the stack of whoever walks it next (JSON.stringify in the store).
// Each dialect plugin installs the hook (guardInput) and maps the core
// `invalid_argument` into its own envelope; the parsers that read JSON out of
// a string field (lenient-json.ts) check what they parse too.

import type { FastifyInstance } from 'fastify';
import { fail } from '../core/errors.ts';

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
export function guardValue(value: unknown, where: string): void {
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

/**
 * Checks every request's path parameters, query and parsed body before
 * validation, inside the plugin that calls it (so errors take its envelope).
 */
export function guardInput(app: FastifyInstance): void {
  app.addHook('preValidation', (req, _reply, done) => {
    try {
      guardValue(req.params, 'the path');
      guardValue(req.query, 'the query');
      guardValue(req.body, 'the body');
      done();
    } catch (e) {
      done(e as Error);
    }
  });
}
