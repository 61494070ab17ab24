// Steady chat load against a cluster, through its load balancer, with the
// bookkeeping that proves delivery: receivers on WebSocket that reconnect the
// way docs/websocket.md asks (at once after 1001, with backoff after a drop,
// `hello` with their positions), senders on WebSocket that resend what was
// not acknowledged with the same clientId, senders on HTTP that retry with
// the same clientId. Every receiver records each seq it sees; a seq that is
// not the next one is a violation (lost, duplicated or reordered).

import WebSocket from 'ws';
import { call } from './http.ts';

export interface Violation {
  client: string;
  what: string;
}

/** A WebSocket client that follows one conversation and reconnects as the protocol says. */
export class FollowingSocket {
  readonly name: string;
  /** Highest seq received in the conversation (what hello sends). */
  position = 0;
  /** Every seq received, in arrival order, with its message id. */
  readonly received: { seq: number; id: number }[] = [];
  readonly violations: Violation[];
  /** Close codes received, with when, and when the next `ready` came. */
  readonly outages: { code: number; closedAt: number; node: string; readyAt?: number }[] = [];
  /** The node (process id from sessionId) of the current session. */
  node = '';
  live = false;
  connects = 0;
  readonly #url: string;
  readonly #token: string;
  readonly #conversation: string;
  #ws: WebSocket | undefined;
  #stopped = false;
  #backoff = 100;
  #onReady: (() => void) | undefined;
  #onAck: ((ref: string, message: any) => void) | undefined;
  #onError: ((frame: any) => void) | undefined;

  constructor(opts: { name: string; url: string; token: string; conversation: string; violations: Violation[] }) {
    this.name = opts.name;
    this.#url = opts.url.replace(/^http/, 'ws') + '/v1/ws';
    this.#token = opts.token;
    this.#conversation = opts.conversation;
    this.violations = opts.violations;
  }

  handlers(h: { ready?: () => void; ack?: (ref: string, message: any) => void; error?: (frame: any) => void }): void {
    this.#onReady = h.ready;
    this.#onAck = h.ack;
    this.#onError = h.error;
  }

  connect(): void {
    if (this.#stopped) return;
    this.connects++;
    const ws = new WebSocket(this.#url, { headers: { authorization: `Bearer ${this.#token}` } });
    this.#ws = ws;
    ws.on('error', () => {}); // 'close' follows
    ws.on('message', (data) => this.#frame(JSON.parse(data.toString())));
    ws.on('close', (code) => {
      if (this.#ws !== ws) return;
      const wasLive = this.live;
      this.live = false;
      this.#ws = undefined;
      if (wasLive) this.outages.push({ code, closedAt: Date.now(), node: this.node });
      if (this.#stopped) return;
      // docs/websocket.md: at once after 1001 and 4009, otherwise with backoff (short here: the test measures recovery).
      if (code === 1001 || code === 4009) return this.connect();
      const wait = this.#backoff * (0.5 + Math.random());
      this.#backoff = Math.min(this.#backoff * 2, 1000);
      setTimeout(() => this.connect(), wait);
    });
  }

  send(frame: unknown): boolean {
    if (!this.live || !this.#ws) return false;
    this.#ws.send(JSON.stringify(frame));
    return true;
  }

  #frame(f: any): void {
    switch (f.type) {
      case 'welcome':
        this.node = String(f.sessionId).split('.')[0]!;
        this.#ws?.send(JSON.stringify({ type: 'hello', positions: { [this.#conversation]: this.position } }));
        return;
      case 'ready': {
        this.live = true;
        this.#backoff = 100;
        const last = this.outages.at(-1);
        if (last && last.readyAt === undefined) last.readyAt = Date.now();
        this.#onReady?.();
        return;
      }
      case 'message':
        if (f.conversation !== this.#conversation) return;
        if (f.seq !== this.position + 1) this.violations.push({ client: this.name, what: `seq ${f.seq} after ${this.position} (${f.seq <= this.position ? 'duplicate or reordered' : 'lost'})` });
        this.position = Math.max(this.position, f.seq);
        this.received.push({ seq: f.seq, id: f.message.id });
        return;
      case 'gap':
        this.violations.push({ client: this.name, what: `gap frame ${JSON.stringify(f)}` });
        return;
      case 'ack':
        this.#onAck?.(f.ref, f.message);
        return;
      case 'error':
        this.#onError?.(f);
        return;
    }
  }

  close(): void {
    this.#stopped = true;
    this.live = false;
    this.#ws?.close();
  }
}

export interface LoadOptions {
  url: string;
  groupId: number;
  receivers: string[];
  wsSenders: string[];
  httpSenders: string[];
  /** Pause between one sender's sends. */
  intervalMs: number;
}

/** What every sender has had acknowledged: clientId → message id. */
export type Acked = Map<string, number>;

export class ChatLoad {
  readonly violations: Violation[] = [];
  readonly sockets: FollowingSocket[] = [];
  readonly acked: Acked = new Map();
  /** HTTP sends that failed and were retried (by status or error), and the longest stall of each HTTP sender. */
  readonly httpRetries = new Map<string, number>();
  readonly httpSenders: { name: string; lastSuccessAt: number; stalls: { from: number; to: number }[] }[] = [];
  /** Sends resent over WebSocket after a reconnect (no ack had come). */
  wsResends = 0;
  readonly #opts: LoadOptions;
  readonly #conversation: string;
  #sending = true;
  readonly #running: Promise<void>[] = [];
  readonly #unacked = new Map<string, Map<string, unknown>>();

  constructor(opts: LoadOptions) {
    this.#opts = opts;
    this.#conversation = `g:${opts.groupId}`;
  }

  /** Connects everyone, waits until every socket is live, then starts sending. */
  async start(): Promise<void> {
    const { url } = this.#opts;
    const follow = (name: string, token: string) => {
      const s = new FollowingSocket({ name, url, token, conversation: this.#conversation, violations: this.violations });
      this.sockets.push(s);
      return s;
    };
    this.#opts.receivers.forEach((t, i) => follow(`receiver${i}`, t));
    const wsSenders = this.#opts.wsSenders.map((t, i) => follow(`wsSender${i}`, t));
    for (const s of this.sockets) s.connect();
    await this.allLive(30_000);
    wsSenders.forEach((s) => this.#running.push(this.#wsSender(s)));
    this.#opts.httpSenders.forEach((t, i) => this.#running.push(this.#httpSender(`httpSender${i}`, t)));
  }

  async allLive(ms: number): Promise<number> {
    const deadline = Date.now() + ms;
    while (!this.sockets.every((s) => s.live)) {
      if (Date.now() > deadline) throw new Error(`not every socket is live after ${ms} ms: ${this.sockets.filter((s) => !s.live).map((s) => s.name)}`);
      await sleep(10);
    }
    return Date.now();
  }

  async #wsSender(s: FollowingSocket): Promise<void> {
    const pending = new Map<string, unknown>(); // clientId → message, until acked
    this.#unacked.set(s.name, pending);
    const refs = new Map<string, string>(); // ref → clientId
    let n = 0;
    let r = 0;
    const transmit = (clientId: string, message: unknown) => {
      const ref = `r${++r}`;
      refs.set(ref, clientId);
      s.send({ type: 'send', ref, message });
    };
    s.handlers({
      // A new session: whatever was not acknowledged is sent again with its clientId.
      ready: () => {
        for (const [clientId, message] of pending) {
          this.wsResends++;
          transmit(clientId, message);
        }
      },
      ack: (ref, message) => {
        const clientId = refs.get(ref);
        refs.delete(ref);
        if (!clientId || !pending.has(clientId)) return;
        pending.delete(clientId);
        this.#ack(clientId, message.id, s.name);
      },
      error: (f) => {
        // A send refused by a node on its way out: sent again after the next ready (or now, if still live).
        const clientId = f.ref ? refs.get(f.ref) : undefined;
        if (f.ref) refs.delete(f.ref);
        if (clientId && pending.has(clientId) && s.live) transmit(clientId, pending.get(clientId));
        if (f.code !== 'internal') this.violations.push({ client: s.name, what: `send refused: ${JSON.stringify(f)}` });
      },
    });
    while (this.#sending) {
      if (s.live && pending.size < 20) {
        const clientId = `${s.name}-${++n}`;
        const message = { groupId: this.#opts.groupId, type: 'text', body: { text: clientId }, clientId };
        pending.set(clientId, message);
        transmit(clientId, message);
      }
      await sleep(this.#opts.intervalMs);
    }
    const deadline = Date.now() + 30_000;
    while (pending.size > 0) {
      if (Date.now() > deadline) throw new Error(`${s.name}: ${pending.size} sends never acknowledged`);
      await sleep(20);
    }
  }

  async #httpSender(name: string, token: string): Promise<void> {
    const me = { name, lastSuccessAt: Date.now(), stalls: [] as { from: number; to: number }[] };
    this.httpSenders.push(me);
    let n = 0;
    while (this.#sending) {
      const clientId = `${name}-${++n}`;
      let failedSince: number | undefined;
      for (;;) {
        let status = 0;
        let body: any;
        try {
          const r = await call(this.#opts.url, 'POST', `/v1/groups/${this.#opts.groupId}/messages`, { token, body: { type: 'text', body: { text: clientId }, clientId } });
          status = r.status;
          body = r.body;
        } catch {
          status = 0; // the connection failed: nothing was answered
        }
        if (status === 201 || status === 200) {
          this.#ack(clientId, body.id, name);
          if (failedSince !== undefined) me.stalls.push({ from: failedSince, to: Date.now() });
          me.lastSuccessAt = Date.now();
          break;
        }
        // 502 (the process died with the request), 503 (draining), 504 or no answer: the same clientId again.
        if (status !== 0 && status !== 502 && status !== 503 && status !== 504) {
          this.violations.push({ client: name, what: `send answered ${status}: ${JSON.stringify(body)}` });
          break;
        }
        failedSince ??= Date.now();
        this.httpRetries.set(name, (this.httpRetries.get(name) ?? 0) + 1);
        await sleep(50);
      }
      await sleep(this.#opts.intervalMs);
    }
  }

  #ack(clientId: string, id: number, sender: string): void {
    const before = this.acked.get(clientId);
    if (before !== undefined && before !== id) this.violations.push({ client: sender, what: `clientId ${clientId} acknowledged as ${before} and as ${id}` });
    this.acked.set(clientId, id);
  }

  /** Stops new sends and waits until everything sent is acknowledged. */
  async stopSending(): Promise<void> {
    this.#sending = false;
    await Promise.all(this.#running);
  }

  /** Waits until every socket has received up to `seq`. */
  async delivered(seq: number, ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (!this.sockets.every((s) => s.position >= seq)) {
      if (Date.now() > deadline) throw new Error(`not delivered up to ${seq} within ${ms} ms: ${this.sockets.map((s) => `${s.name}@${s.position}`).join(' ')}`);
      await sleep(20);
    }
  }

  close(): void {
    for (const s of this.sockets) s.close();
  }
}

/** The whole history of a group, oldest first (paged through the API). */
export async function groupHistory(url: string, token: string, groupId: number): Promise<{ seq: number; id: number; clientId?: string | null }[]> {
  const out: { seq: number; id: number; clientId?: string | null }[] = [];
  let after = 0;
  for (;;) {
    const r = await call(url, 'GET', `/v1/groups/${groupId}/messages`, { token, query: { order: 'asc', after, limit: 100 } });
    if (r.status !== 200) throw new Error(`history: ${r.status} ${r.text}`);
    const items = r.body.items as { seq: number; id: number; clientId?: string | null }[];
    out.push(...items);
    if (items.length < 100) return out;
    after = items.at(-1)!.seq;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface DeliveryReport {
  messages: number;
  acknowledged: number;
  lost: number;
  duplicated: number;
  /** Receivers' seq streams that differ from the stored history. */
  mismatched: string[];
}

/**
 * Compares what everyone saw with the stored history: every acknowledged
 * clientId stored exactly once with the acknowledged id, and every socket's
 * stream equal to the history from seq 1 (so nothing lost, duplicated or
 * reordered for any receiver).
 */
export function deliveryReport(load: ChatLoad, history: { seq: number; id: number; clientId?: string | null }[]): DeliveryReport {
  const stored = new Map<string, number[]>();
  for (const m of history) if (m.clientId) stored.set(m.clientId, [...(stored.get(m.clientId) ?? []), m.id]);
  let lost = 0;
  for (const [clientId, id] of load.acked) if (!stored.get(clientId)?.includes(id)) lost++;
  const duplicated = [...stored.values()].filter((ids) => ids.length > 1).length;
  const expected = history.map((m) => `${m.seq}:${m.id}`).join(',');
  const mismatched = load.sockets.filter((s) => s.received.map((r) => `${r.seq}:${r.id}`).join(',') !== expected).map((s) => s.name);
  return { messages: history.length, acknowledged: load.acked.size, lost, duplicated, mismatched };
}
