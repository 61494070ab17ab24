// A med.xim.Group client for tests: GET with query parameters and the app
// admin token as a bearer credential.

import { call, type CallOptions, type Reply } from './http.ts';

export function xim(base: string, token?: string) {
  return <T = any>(method: string, query: CallOptions['query'] = {}, o: CallOptions = {}): Promise<Reply<T>> =>
    call<T>(base, 'GET', `/med.xim.Group/${method}`, { ...o, query, ...(token && !o.token ? { token } : {}) });
}
