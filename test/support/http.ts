// A tiny fetch wrapper for tests: JSON in, JSON out, status and headers kept.

export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Headers;
  text: string;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  /** Raw body text (for malformed JSON tests); sent as-is. */
  raw?: string | Uint8Array<ArrayBuffer>;
  headers?: Record<string, string>;
  query?: Record<string, string | number | boolean | readonly (string | number)[]>;
}

export async function call<T = any>(base: string, method: string, path: string, o: CallOptions = {}): Promise<Reply<T>> {
  const url = new URL(path, base);
  for (const [k, v] of Object.entries(o.query ?? {})) {
    if (Array.isArray(v)) for (const item of v) url.searchParams.append(k, String(item));
    else url.searchParams.set(k, String(v));
  }
  const headers: Record<string, string> = { ...o.headers };
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  let body: string | Uint8Array<ArrayBuffer> | undefined;
  if (o.raw !== undefined) body = o.raw;
  else if (o.body !== undefined) {
    body = JSON.stringify(o.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(url, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON; keep the text
  }
  return { status: res.status, body: parsed as T, headers: res.headers, text };
}

/** A client bound to one server (and optionally one token). */
export function client(base: string, token?: string) {
  const withToken = (o: CallOptions = {}) => (token && !o.token ? { ...o, token } : o);
  return {
    get: <T = any>(path: string, o?: CallOptions) => call<T>(base, 'GET', path, withToken(o)),
    post: <T = any>(path: string, body?: unknown, o?: CallOptions) => call<T>(base, 'POST', path, withToken({ ...o, ...(body === undefined ? {} : { body }) })),
    put: <T = any>(path: string, body?: unknown, o?: CallOptions) => call<T>(base, 'PUT', path, withToken({ ...o, ...(body === undefined ? {} : { body }) })),
    patch: <T = any>(path: string, body?: unknown, o?: CallOptions) => call<T>(base, 'PATCH', path, withToken({ ...o, ...(body === undefined ? {} : { body }) })),
    delete: <T = any>(path: string, o?: CallOptions) => call<T>(base, 'DELETE', path, withToken(o)),
  };
}
