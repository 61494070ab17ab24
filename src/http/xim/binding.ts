// blademaster query binding as the generated document implies: every value
// arrives as text; "多个integer" fields are repeated keys (?groupId=1&groupId=2)
// or comma lists (groupId=1,2), or both; bools are strconv.ParseBool words.

import { Type } from '@sinclair/typebox';
import { fail } from '../../core/errors.ts';

const INT = /^-?[0-9]{1,16}$/;

export const QInt = Type.String({ pattern: '^-?[0-9]{1,16}$' });
export const QIntList = Type.Union([Type.String({ pattern: '^[0-9,\\s-]{0,16000}$' }), Type.Array(Type.String({ pattern: '^[0-9,\\s-]{0,16000}$' }), { maxItems: 1000 })]);
export const QBool = Type.String({ pattern: '^(1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$' });
export const QString = (maxLength: number) => Type.String({ maxLength });

/** An integer query value; 0 when absent (proto3 zero value). */
export function int(v: string | undefined, name: string): number {
  if (v === undefined || v === '') return 0;
  if (!INT.test(v)) throw fail('invalid_argument', `${name} must be an integer`);
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw fail('invalid_argument', `${name} is out of range`);
  return n;
}

/** A repeated integer: repeated keys, comma lists, or both; empty items are skipped. */
export function intList(v: string | readonly string[] | undefined, name: string): number[] {
  if (v === undefined) return [];
  const parts = (typeof v === 'string' ? [v] : v).flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== '');
  if (parts.length > 1000) throw fail('invalid_argument', `${name} has more than 1000 items`);
  return parts.map((s) => int(s, name));
}

export function bool(v: string | undefined): boolean {
  return v !== undefined && /^(1|t|T|TRUE|true|True)$/.test(v);
}
