// A Lanying client for tests: headers `app_id` and `access-token` (and the
// admin's `user_id`/`group_id`), JSON bodies, the envelope kept whole.

import { call, type CallOptions, type Reply } from './http.ts';

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
