// Typed encode/decode over the reflected dtalk schemas. 64-bit fields come
// back as a number when it is exact, else as a bigint (a permanent mute is
// 9223372036854775807), so no digit is ever lost in either direction.

import type protobuf from 'protobufjs';
import { type } from './schema.ts';

export type Int64 = number | bigint;

/** Bytes that do not decode as the expected message. */
export class ProtoDecodeError extends Error {
  constructor(typeName: string, cause: unknown) {
    super(`not a valid ${typeName}: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'ProtoDecodeError';
  }
}

const LONG_TYPES = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);

/** A decimal 64-bit value as a number when exact, else as a bigint. */
export function toInt64(text: string | number | bigint): Int64 {
  if (typeof text === 'number' || typeof text === 'bigint') return text;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : BigInt(text);
}

function fromPlain(t: protobuf.Type, obj: Record<string, unknown>): Record<string, unknown> {
  for (const field of t.fieldsArray) {
    const v = obj[field.name];
    if (v === null || v === undefined) continue;
    if (LONG_TYPES.has(field.type)) {
      obj[field.name] = Array.isArray(v) ? v.map((x) => toInt64(x as string)) : toInt64(v as string);
    } else if (field.resolvedType && 'fieldsArray' in field.resolvedType) {
      const sub = field.resolvedType as protobuf.Type;
      obj[field.name] = Array.isArray(v) ? v.map((x) => fromPlain(sub, x as Record<string, unknown>)) : fromPlain(sub, v as Record<string, unknown>);
    }
  }
  return obj;
}

function toPlain(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return value;
  if (Array.isArray(value)) return value.map(toPlain);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toPlain(v);
    return out;
  }
  return value;
}

/** Serializes `value` as the message `typeName` (fields missing take their proto3 default). */
export function encode(typeName: string, value: object): Uint8Array {
  const t = type(typeName);
  return t.encode(t.fromObject(toPlain(value) as Record<string, unknown>)).finish();
}

/**
 * Parses `bytes` as `typeName`, with every field present (proto3 defaults),
 * enums as numbers, bytes as Uint8Array and 64-bit values as Int64. Throws
 * ProtoDecodeError on bytes that are not that message.
 */
export function decode<T>(typeName: string, bytes: Uint8Array): T {
  const t = type(typeName);
  let msg: protobuf.Message;
  try {
    msg = t.decode(bytes);
  } catch (e) {
    throw new ProtoDecodeError(typeName, e);
  }
  const plain = t.toObject(msg, { longs: String, enums: Number, defaults: true, arrays: true });
  return fromPlain(t, plain) as T;
}

