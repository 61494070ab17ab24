// Ids as the older APIs carry them: a JSON number or the same digits as text
// ("groupId":"22321"). Parley ids fit in 53 bits, so both forms are exact.

import { Type } from '@sinclair/typebox';
import { parseId } from '../core/ids.ts';

const DIGITS = '^[0-9]{1,16}$';

/** Schema of an id that may arrive as a number or as a decimal string. */
export const WireId = Type.Union([Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }), Type.String({ pattern: DIGITS })]);

/** A list of such ids, capped so one request cannot ask for the world. */
export const WireIdList = (maxItems = 1000) => Type.Array(WireId, { maxItems });

/** The id a schema-validated WireId holds; undefined for "0" or out-of-range digits. */
export function wireId(value: unknown): number | undefined {
  return parseId(value);
}
