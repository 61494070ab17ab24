// The transport under every SDK call: fetch with the bearer token, JSON in and
// out, the native error envelope turned into ParleyError.

import { ParleyError } from './types.ts';

export type Query = Record<string, string | number | boolean | undefined>;

export interface HttpOptions {
  /** Origin of the Parley server; '' means the page's own origin. */
  baseUrl?: string;
  /** Called when the server says the token is no longer good (401), e.g. to sign out. */
  onUnauthorized?: () => void;
}

export class Http {
  readonly baseUrl: string;
  token: string | undefined;
  readonly #onUnauthorized: (() => void) | undefined;

  constructor(opts: HttpOptions = {}) {
    this.baseUrl = (opts.baseUrl ?? '').replace(/\/$/, '');
    this.#onUnauthorized = opts.onUnauthorized;
  }

  url(path: string, query?: Query): string {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) q.set(k, String(v));
    const s = q.toString();
    return `${this.baseUrl}/v1${path}${s ? `?${s}` : ''}`;
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return this.token ? { authorization: `Bearer ${this.token}`, ...extra } : extra;
  }

  async request<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
    const init: RequestInit = { method, headers: this.headers(body === undefined ? {} : { 'content-type': 'application/json' }) };
    if (body !== undefined) init.body = JSON.stringify(body);
    let res: Response;
    try {
      res = await fetch(this.url(path, query), init);
    } catch {
      throw new ParleyError(0, 'network', 'the server cannot be reached');
    }
    return this.read<T>(res);
  }

  async read<T>(res: Response): Promise<T> {
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!res.ok) throw this.error(res.status, parsed);
    return parsed as T;
  }

  error(status: number, parsed: unknown): ParleyError {
    const e = (parsed as { error?: { code?: string; message?: string; details?: Record<string, unknown> } } | undefined)?.error;
    if (status === 401 && this.token) this.#onUnauthorized?.();
    return new ParleyError(status, e?.code ?? `http_${status}`, e?.message ?? `the server answered ${status}`, e?.details);
  }
}
