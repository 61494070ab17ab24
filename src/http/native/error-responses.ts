// The error responses a native route declares for /openapi.json: the core
// error codes it can answer, grouped by the status nativeStatus gives them.
// Declaring codes (not statuses) keeps the document in step with the one
// mapping in errors.ts, and tells a client which `error.code` to expect.
//
//   response: { 200: GroupView, ...errorsOf('group_not_found', 'not_group_member') }
//
// What every route of a kind can answer (a bad request, a missing token, a
// body over the limit) is added by the document itself (impliedErrors), so a
// route lists only what its core operation refuses.

import { Type, type TRef } from '@sinclair/typebox';
import type { ErrorCode } from '../../core/errors.ts';
import { nativeStatus } from './errors.ts';

/** The statuses nativeStatus gives (a literal union, so `{200: X, ...errorsOf(…)}` keeps 200's type). */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 423 | 429 | 501 | 503;
export type ErrorResponses = { [S in ErrorStatus]?: TRef };

/** The codes an error response stands for, kept beside the schema the route holds. */
const codesOf = new WeakMap<object, readonly ErrorCode[]>();

function response(status: number, codes: readonly ErrorCode[]): TRef {
  const sorted = [...new Set(codes)].sort();
  const schema = Type.Ref('Error', { description: `${statusText(status)}: \`error.code\` is ${sorted.map((c) => `\`${c}\``).join(', ')}` });
  codesOf.set(schema, sorted);
  return schema;
}

/** The error responses for these core codes, keyed by their native status. */
export function errorsOf(...codes: ErrorCode[]): ErrorResponses {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const status = nativeStatus[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries([...byStatus].map(([status, list]) => [status, response(status, list)])) as ErrorResponses;
}

/** The codes a response of the document stands for; none for a response errorsOf did not make. */
export function declaredCodes(schema: unknown): readonly ErrorCode[] {
  return typeof schema === 'object' && schema !== null ? (codesOf.get(schema) ?? []) : [];
}

/** Adds codes to a response map (merging with what is declared for the same status), for the document only. */
export function withErrors(responses: Record<string, unknown>, codes: readonly ErrorCode[]): Record<string, unknown> {
  const out = { ...responses };
  for (const [status, schema] of Object.entries(errorsOf(...codes))) {
    const have = out[status];
    if (have === undefined) out[status] = schema;
    else if (declaredCodes(have).length > 0) out[status] = response(Number(status), [...declaredCodes(have), ...declaredCodes(schema)]);
    // A response the route wrote by hand (not from errorsOf) stays as written.
  }
  return out;
}

/** Codes every route can answer, from what the route is: input, a body, a bearer token. */
export function impliedErrors(route: { method: string; authenticated: boolean }): ErrorCode[] {
  // The input guard (NUL characters, deep JSON) reads every query, so any route can refuse its input.
  const codes: ErrorCode[] = ['invalid_argument'];
  if (['POST', 'PUT', 'PATCH'].includes(route.method)) codes.push('payload_too_large');
  if (route.authenticated) codes.push('unauthenticated', 'token_expired', 'token_revoked');
  return codes;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad request',
  401: 'Not signed in',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflict with the current state',
  410: 'Expired',
  413: 'Too large',
  423: 'Locked',
  429: 'Too many attempts',
  501: 'Not supported',
  503: 'Not configured',
};

function statusText(status: number): string {
  return STATUS_TEXT[status] ?? `Status ${status}`;
}
