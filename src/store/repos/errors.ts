// Recognises a unique-constraint violation on either engine, so repositories
// can turn it into a domain error instead of a 500.
export function isUniqueViolation(e: unknown): boolean {
  if (!e || typeof e !== 'object') return false;
  const err = e as { code?: unknown; errcode?: unknown; message?: unknown };
  if (err.code === '23505') return true; // PostgreSQL unique_violation
  const msg = typeof err.message === 'string' ? err.message : '';
  return msg.includes('UNIQUE constraint failed');
}
