// A Lanying client for tests: headers `app_id` and `access-token` (and the
// admin's `user_id`/`group_id`), JSON bodies, the envelope kept whole.

import assert from 'node:assert/strict';
import { call, type CallOptions, type Reply } from './http.ts';
import { hasDocType, lanyingResponses } from './spec-routes.ts';

export interface LanyingAuth {
  appId: number | string;
  token?: string;
  /** Admin token acting as this user. */
  userId?: number;
  /** Admin token acting as this group's administrator. */
  groupId?: number;
}

export function lanying(base: string, auth: LanyingAuth) {
  const headers = (o: CallOptions = {}): CallOptions => ({
    ...o,
    headers: {
      app_id: String(auth.appId),
      ...(auth.token ? { 'access-token': auth.token } : {}),
      ...(auth.userId ? { user_id: String(auth.userId) } : {}),
      ...(auth.groupId ? { group_id: String(auth.groupId) } : {}),
      ...o.headers,
    },
  });
  const send = <T = any>(method: string, path: string, body?: unknown, o?: CallOptions): Promise<Reply<T>> =>
    call<T>(base, method, path, headers({ ...o, ...(body === undefined ? {} : { body }) }));
  return {
    get: <T = any>(path: string, query?: CallOptions['query'], o?: CallOptions) => call<T>(base, 'GET', path, headers({ ...o, ...(query ? { query } : {}) })),
    post: <T = any>(path: string, body?: unknown, o?: CallOptions) => send<T>('POST', path, body, o),
    put: <T = any>(path: string, body?: unknown, o?: CallOptions) => send<T>('PUT', path, body, o),
    delete: <T = any>(path: string, body?: unknown, o?: CallOptions) => send<T>('DELETE', path, body, o),
    send,
  };
}

const documented = lanyingResponses();

/**
 * Checks a successful answer against the document's response table for the
 * route: code 200, message null, every documented field present with its type
 * (in `data`, or in every item of `data`).
 */
export function assertDocumented(route: string, reply: Reply): void {
  const doc = documented.get(route);
  assert.ok(doc, `no documented response for ${route}`);
  const body = reply.body as Record<string, unknown>;
  assert.equal(reply.status, 200, route);
  assert.equal(body.code, 200, `${route}: ${reply.text}`);
  assert.equal(body.message, null, route);
  for (const [field, type] of Object.entries(doc.top)) {
    if (field === 'message') continue;
    assert.ok(hasDocType(body[field], type), `${route}: ${field} should be ${type}, got ${JSON.stringify(body[field])}`);
  }
  const items = Array.isArray(body.data) ? (body.data as unknown[]) : [body.data];
  for (const item of items) {
    for (const [field, type] of Object.entries(doc.data)) {
      assert.ok(hasDocType((item as Record<string, unknown>)[field], type), `${route}: data.${field} should be ${type}, got ${JSON.stringify((item as Record<string, unknown>)[field])}`);
    }
  }
}
