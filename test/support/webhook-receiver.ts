// A real HTTP receiver for webhook tests: records every request it gets (body,
// headers, whether its signature verifies: with the Standard Webhooks
// reference library, as a receiver would, and the deprecated Parley-Signature
// with our own verifier) and answers as the test says: at
// once, with a 500, or only after a delay (longer than the sender's timeout
// makes a timeout). It also notes when one event is in two requests at once.

import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { verifyLegacySignature } from '../../src/core/webhooks/signature.ts';

export interface Received {
  raw: string;
  body: any;
  headers: IncomingHttpHeaders;
  /** The `standardwebhooks` package accepts its webhook-id / webhook-timestamp / webhook-signature. */
  signed: boolean;
  /** The deprecated Parley-Signature verifies. */
  legacySigned: boolean;
}

/**
 * What docs/webhooks.md tells a receiver: a `whsec_` secret followed by
 * standard, padded base64 is given to the library as is; any other in the
 * library's raw format (the whole secret's bytes are the key).
 */
export function standardVerifier(secret: string): Webhook {
  return /^whsec_(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(secret) && secret !== 'whsec_' ? new Webhook(secret) : new Webhook(secret, { format: 'raw' });
}

function standardSigned(secret: string, raw: string, headers: IncomingHttpHeaders): boolean {
  if (secret === '') return false;
  try {
    standardVerifier(secret).verify(raw, headers as Record<string, string>);
    return true;
  } catch {
    return false;
  }
}

export type Behaviour = { status: number; delayMs?: number; body?: string };

export class WebhookReceiver {
  readonly received: Received[] = [];
  /** Event ids that were in two requests at the same time. */
  readonly overlaps: unknown[] = [];
  secret = '';
  answer: (r: Received) => Behaviour = () => ({ status: 200 });
  readonly #server: Server;
  readonly #inFlight = new Map<string, number>();
  #waiters: (() => void)[] = [];

  constructor() {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        try {
          body = JSON.parse(raw);
        } catch {
          body = undefined;
        }
        const sig = String(req.headers['parley-signature'] ?? '');
        const r: Received = {
          raw,
          body,
          headers: req.headers,
          signed: standardSigned(this.secret, raw, req.headers),
          legacySigned: this.secret !== '' && verifyLegacySignature(this.secret, sig, raw, Math.floor(Date.now() / 1000)),
        };
        const id = String((body as { id?: unknown })?.id);
        const n = this.#inFlight.get(id) ?? 0;
        if (n > 0) this.overlaps.push(id);
        this.#inFlight.set(id, n + 1);
        const done = () => {
          const left = (this.#inFlight.get(id) ?? 1) - 1;
          if (left > 0) this.#inFlight.set(id, left);
          else this.#inFlight.delete(id);
        };
        res.on('close', done);
        this.received.push(r);
        for (const w of this.#waiters.splice(0)) w();
        const b = this.answer(r);
        const reply = () => {
          if (res.destroyed) return;
          res.writeHead(b.status, { 'content-type': 'application/json' });
          res.end(b.body ?? '{}');
        };
        if (b.delayMs) setTimeout(reply, b.delayMs).unref();
        else reply();
      });
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/hook`;
  }

  /** Resolves once `done()` holds, checked after each request; fails after `timeoutMs`. */
  async until(done: () => boolean, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`the receiver did not get what was expected within ${timeoutMs} ms (${this.received.length} requests)`);
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 100).unref();
      });
    }
  }

  /** Distinct event ids received so far. */
  ids(): Set<string> {
    return new Set(this.received.map((r) => String(r.body?.id)));
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
