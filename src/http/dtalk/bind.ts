// Request binding as go-zero v1.4.3 does it for the dtalk gateway
// (core/mapping, the original's source "Transport and envelope"): a field without
// `optional` must be present; `options=a|b` restricts values; `range=[a:b]`
// bounds numbers. A failure is -1012 with the data text
// "请求参数错误 with child err: <go-zero error text>".

import { fail } from '../../core/errors.ts';
import { UnparsableBody } from './json.ts';
import type { Int64 } from './proto/codec.ts';

export type FieldSpec =
  | { kind: 'string'; optional?: boolean; options?: readonly string[] }
  | { kind: 'int'; optional?: boolean; options?: readonly number[]; range?: readonly [number, number] }
  | { kind: 'bool'; optional?: boolean }
  | { kind: 'strings'; optional?: boolean }
  | { kind: 'objects'; optional?: boolean; fields: Fields };

export type Fields = Readonly<Record<string, FieldSpec>>;

type ValueOf<S extends FieldSpec> = S extends { kind: 'string' }
  ? string
  : S extends { kind: 'int' }
    ? Int64
    : S extends { kind: 'bool' }
      ? boolean
      : S extends { kind: 'strings' }
        ? string[]
        : S extends { kind: 'objects'; fields: infer F extends Fields }
          ? Bound<F>[]
          : never;

/** The bound request: optional fields absent from the body take Go's zero value. */
export type Bound<F extends Fields> = { -readonly [K in keyof F]: ValueOf<F[K]> };

/** The -1012 failure, carrying go-zero's error text for the `data` string. */
export function badRequest(childErr: string): Error {
  return fail('invalid_argument', childErr, { dtalkChildErr: childErr });
}

const zero = (spec: FieldSpec): unknown => {
  switch (spec.kind) {
    case 'string':
      return '';
    case 'int':
      return 0;
    case 'bool':
      return false;
    case 'strings':
    case 'objects':
      return [];
  }
};

const goSlice = (values: readonly (string | number)[]) => `[${values.join(' ')}]`;

function bindInt(name: string, value: unknown, spec: Extract<FieldSpec, { kind: 'int' }>): Int64 {
  let n: Int64;
  if (typeof value === 'bigint') n = value;
  else if (typeof value === 'number' && Number.isInteger(value)) n = value;
  else if (typeof value === 'string' && /^-?[0-9]{1,19}$/.test(value)) {
    const asNumber = Number(value);
    n = Number.isSafeInteger(asNumber) ? asNumber : BigInt(value);
  } else throw badRequest(`type mismatch for field ${name}`);
  if (typeof n === 'bigint' && (n > 9223372036854775807n || n < -9223372036854775808n)) {
    throw badRequest(`the value "${String(value)}" cannot parsed as int`);
  }
  if (spec.options && !spec.options.some((o) => BigInt(o) === BigInt(n))) {
    throw badRequest(`error: value "${n}" is not defined in options "${goSlice(spec.options)}"`);
  }
  if (spec.range && (Number(n) < spec.range[0] || Number(n) > spec.range[1])) throw badRequest('wrong number range setting');
  return n;
}

function bindField(name: string, value: unknown, spec: FieldSpec): unknown {
  switch (spec.kind) {
    case 'string':
      if (typeof value !== 'string') throw badRequest(`type mismatch for field ${name}`);
      if (spec.options && !spec.options.includes(value)) {
        throw badRequest(`error: value ${JSON.stringify(value)} is not defined in options "${goSlice(spec.options)}"`);
      }
      return value;
    case 'int':
      return bindInt(name, value, spec);
    case 'bool':
      if (typeof value !== 'boolean') throw badRequest(`type mismatch for field ${name}`);
      return value;
    case 'strings':
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw badRequest(`type mismatch for field ${name}`);
      return value;
    case 'objects':
      if (!Array.isArray(value)) throw badRequest(`type mismatch for field ${name}`);
      return value.map((item, i) => bindObject(spec.fields, item, `${name}[${i}]`));
  }
}

function bindObject<F extends Fields>(fields: F, body: unknown, prefix = ''): Bound<F> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest(`type mismatch for field ${prefix || 'body'}`);
  const src = body as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(fields)) {
    const name = prefix ? `${prefix}.${key}` : key;
    const value = Object.hasOwn(src, key) ? src[key] : undefined;
    if (value === undefined || value === null) {
      if (!spec.optional) throw badRequest(`field ${name} is not set`);
      out[key] = zero(spec);
      continue;
    }
    out[key] = bindField(name, value, spec);
  }
  return out as Bound<F>;
}

/** Binds a parsed JSON body (or `{}` when there was none) to a request struct. */
export function bind<F extends Fields>(fields: F, body: unknown): Bound<F> {
  if (body instanceof UnparsableBody) throw badRequest(body.reason);
  return bindObject(fields, body ?? {});
}
