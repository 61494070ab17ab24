// blademaster query binding as the generated document implies, one rule for
// every route: every value arrives as text and binds as Go's
// strconv.ParseInt would bind it into the proto field.
//
// - integer: an optional sign (`+` or `-`) and decimal digits, nothing else
//   (no blanks, no exponent); leading zeros are fine. Absent or empty is the
//   proto zero value 0. A value beyond 2^53−1 names no Parley id or count: 1001.
// - every xim integer is an id, a count or a cursor, so a negative value is
//   1001 on every route and in every list item.
// - "多个integer" (a repeated field): repeated keys (?groupId=1&groupId=2),
//   comma lists (groupId=1,2), or both; each item binds as above, an empty
//   item is the zero value. A zero id names nothing (InfoBatch skips it as it
//   skips any unknown id).
// - bool: strconv.ParseBool words; absent or empty is false.

import { Type } from '@sinclair/typebox';
import { fail } from '../../core/errors.ts';

/** Go's ParseInt syntax (base 10), up to int64's 19 digits plus leading zeros. */
const INT_SOURCE = '[+-]?[0-9]{1,32}';
const INT = new RegExp(`^${INT_SOURCE}$`);
/** Items of a repeated integer: 5,000 ids is an ordinary InfoBatch (issue 13). */
export const MAX_LIST_ITEMS = 5000;

export const QInt = Type.String({ pattern: `^(${INT_SOURCE})?$` });
const listText = Type.String({ pattern: '^[0-9+,-]*$', maxLength: MAX_LIST_ITEMS * 34 });
export const QIntList = Type.Union([listText, Type.Array(listText, { maxItems: MAX_LIST_ITEMS })]);
/** Empty is the zero value (false), as for integers. */
export const QBool = Type.String({ pattern: '^(|1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$' });
export const QString = (maxLength: number) => Type.String({ maxLength });

/** An integer query value, never negative; 0 when absent or empty (proto3 zero value). */
export function int(v: string | undefined, name: string): number {
  if (v === undefined || v === '') return 0;
  if (!INT.test(v)) throw fail('invalid_argument', `${name} must be an integer`);
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw fail('invalid_argument', `${name} is out of range`);
  if (n < 0) throw fail('invalid_argument', `${name} must not be negative`);
  return n === 0 ? 0 : n; // never -0
}

/** A repeated integer: repeated keys, comma lists, or both; each item as `int`. */
export function intList(v: string | readonly string[] | undefined, name: string): number[] {
  if (v === undefined) return [];
  const parts = (typeof v === 'string' ? [v] : v).flatMap((s) => s.split(','));
  if (parts.length > MAX_LIST_ITEMS) throw fail('invalid_argument', `${name} has more than ${MAX_LIST_ITEMS} items`);
  return parts.map((s) => int(s, name));
}

export function bool(v: string | undefined): boolean {
  return v !== undefined && /^(1|t|T|TRUE|true|True)$/.test(v);
}
