import { fail } from './errors.ts';

// Opaque paging cursors: clients must not depend on their content, which lets
// the server change what a cursor holds without breaking them.

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor<T>(cursor: string, check: (v: unknown) => v is T): T {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (check(v)) return v;
  } catch {
    // fall through to the error below
  }
  throw fail('invalid_argument', 'the cursor is not valid');
}

export const isPositiveInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
