// A dtalk client for tests: a fresh secp256k1 key, FZM-SIGNATURE headers
// signed at the server's clock, JSON posts that keep raw 64-bit digits.

import { secp256k1 } from '@noble/curves/secp256k1.js';
import { addressOf } from '../../../src/http/dtalk/address.ts';
import { parseJson } from '../../../src/http/dtalk/json.ts';
import { signToken } from '../../../src/http/dtalk/signature.ts';
import type { TestServer } from '../../support/server.ts';

export interface DtalkReply<T = any> {
  status: number;
  text: string;
  headers: Headers;
  body: { result: number; message: string; data: T };
}

export interface PostOptions {
  /** Raw body text or bytes, sent as-is. */
  raw?: string | Uint8Array<ArrayBuffer>;
  headers?: Record<string, string>;
  /** Override the FZM-SIGNATURE value ('' sends none). */
  signature?: string;
  contentType?: string | null;
}

export class DtalkUser {
  readonly privateKey: Uint8Array;
  readonly address: string;
  readonly #server: TestServer;

  constructor(server: TestServer, privateKey: Uint8Array = secp256k1.utils.randomSecretKey()) {
    this.#server = server;
    this.privateKey = privateKey;
    this.address = addressOf(secp256k1.getPublicKey(privateKey, true));
  }

  /** A token signed now (by the server's clock), as the desktop client does (empty appId). */
  token(atMs = this.#server.core.clock.now(), appId = ''): string {
    return signToken(this.privateKey, atMs, appId);
  }

  async post<T = any>(path: string, body?: unknown, o: PostOptions = {}): Promise<DtalkReply<T>> {
    const headers: Record<string, string> = { ...o.headers };
    const sig = o.signature ?? this.token();
    if (sig !== '') headers['FZM-SIGNATURE'] = sig;
    let payload: string | Uint8Array<ArrayBuffer> | undefined = o.raw;
    if (payload === undefined && body !== undefined) payload = JSON.stringify(body);
    if (payload !== undefined && o.contentType !== null) headers['content-type'] = o.contentType ?? 'application/json';
    return rawPost<T>(this.#server.url, path, headers, payload);
  }
}

export async function rawPost<T = any>(base: string, path: string, headers: Record<string, string>, body?: string | Uint8Array<ArrayBuffer> | FormData): Promise<DtalkReply<T>> {
  const res = await fetch(new URL(path, base), { method: 'POST', headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? parseJson(text) : undefined;
  } catch {
    // not JSON
  }
  return { status: res.status, text, headers: res.headers, body: parsed as DtalkReply<T>['body'] };
}
