// A legacy (Struts) client for tests: the four session headers, `data` as
// form fields (default) or JSON.

import { call, type Reply } from './http.ts';

export interface LegacySession {
  uid: number | string;
  accessToken: string;
  client?: string;
  expire?: number | string;
}

export function legacy(base: string, session: LegacySession) {
  const headers = (): Record<string, string> => ({
    uid: String(session.uid),
    accessToken: session.accessToken,
    client: session.client ?? 'F9FQXGP8FCM5',
    expire: String(session.expire ?? Date.now() + 86_400_000 * 365),
  });
  return {
    /** Form-encoded `data` fields. */
    form: <T = any>(action: string, data: Record<string, string | number> = {}): Promise<Reply<T>> =>
      call<T>(base, 'POST', `/chat/${action}`, {
        raw: new URLSearchParams(Object.entries(data).map(([k, v]) => [k, String(v)])).toString(),
        headers: { ...headers(), 'content-type': 'application/x-www-form-urlencoded' },
      }),
    /** A JSON body. */
    json: <T = any>(action: string, body: unknown): Promise<Reply<T>> => call<T>(base, 'POST', `/chat/${action}`, { body, headers: headers() }),
    headers,
  };
}
