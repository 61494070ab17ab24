// The real-time connection: one WebSocket to /v1/ws that says hello with the
// positions held, keeps itself alive with heartbeats (and notices a dead
// connection when the pongs stop), and reconnects by itself with backoff and
// jitter when the server restarts or the network drops. Sends made through it
// carry a client id and are kept until acknowledged: after a reconnect they
// are sent again with the same client id, which the server answers with the
// original message instead of storing a second copy (docs/websocket.md).

import type { Message, OutgoingMessage, Presence, Target, TypingFrame } from './types.ts';

export type SocketState = 'connecting' | 'online' | 'offline' | 'closed';

/** A hole the server will not fill on this connection: page it from HTTP history. */
export interface Gap {
  conversation: string;
  after: number;
  before?: number;
  reason: string;
}

export interface SocketOptions {
  url: string;
  /** Read at every connect, so a new sign-in is picked up. */
  token: () => string | undefined;
  /** Last seq held per conversation, sent in hello so the server can resume. */
  positions?: () => Record<string, number>;
  onState?: (state: SocketState, detail?: string) => void;
  /** A new or changed (revoked, edited) message; `conversation` is its key when it came as a `message` frame. */
  onMessage?: (m: Message, conversation?: string) => void;
  /** Any other server event (membership, group changes, read positions, typing). */
  onEvent?: (event: Record<string, unknown>) => void;
  /** Someone is typing (or stopped) in a conversation of yours: ephemeral, may be missed. */
  onTyping?: (t: TypingFrame) => void;
  /** Someone you share a conversation with came online or went offline: ephemeral, may be missed. */
  onPresence?: (p: Presence) => void;
  /** Called after each successful (re)connect: the time to fetch what was missed. */
  onOnline?: (reconnect: boolean) => void;
  /** The replay after hello is complete, with the server's positions. */
  onReady?: (positions: Record<string, number>) => void;
  /** A hole the server will not send; without this handler a gap is reported as onOnline(true). */
  onGap?: (gap: Gap) => void;
  /** Backoff bounds for reconnecting (defaults 500 ms doubling to 30 s, with ±25% jitter). */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** How long to wait for a pong before the connection is taken for dead (default 10 s). */
  pongTimeoutMs?: number;
  /** Heartbeat interval before the server announces its own (welcome.heartbeatMs). */
  heartbeatMs?: number;
}

/** Close codes after which reconnecting cannot help until the cause is fixed (docs/websocket.md). */
const FINAL = new Set([1009, 4001, 4002, 4003, 4005]);
/** Close codes after which reconnecting at once is right: the server is going away or asks for a resume. */
const AT_ONCE = new Set([1001, 4009]);
/** Our own close code for a connection whose pongs stopped (4000–4999 are free for applications). */
const DEAD = 4100;
const utf8 = new TextDecoder();

interface PendingSend {
  target: Target;
  message: Record<string, unknown>;
  resolve: (m: Message) => void;
  reject: (e: Error) => void;
}

/** A send the server refused (the `error` frame answering it). */
export class SendError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'SendError';
    this.code = code;
    this.details = details;
  }
}

let refCounter = 0;
const newClientId = (): string =>
  typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `c-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

export class ParleySocket {
  readonly #o: SocketOptions;
  #ws: WebSocket | undefined;
  #attempt = 0;
  #everOnline = false;
  #stopped = false;
  #ready = false;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  #pongDue: ReturnType<typeof setTimeout> | undefined;
  /** Unacknowledged sends by ref, in the order they were made (Map keeps insertion order). */
  readonly #pending = new Map<string, PendingSend>();
  state: SocketState = 'offline';
  /** The signed-in user, from the last welcome. */
  userId: number | undefined;

  constructor(o: SocketOptions) {
    this.#o = o;
  }

  connect(): void {
    this.#stopped = false;
    this.#open();
  }

  /** Closes for good; sends still unacknowledged are rejected (their outcome is unknown: check history). */
  close(): void {
    this.#stopped = true;
    clearTimeout(this.#retry);
    this.#stopBeating();
    this.#ws?.close(1000, 'bye');
    this.#ws = undefined;
    this.#ready = false;
    for (const [ref, p] of this.#pending) {
      this.#pending.delete(ref);
      p.reject(new SendError('closed', 'the socket was closed before the server acknowledged the send'));
    }
    this.#set('closed');
  }

  /** Sends awaiting their ack (they are sent again after a reconnect). */
  get unacknowledged(): number {
    return this.#pending.size;
  }

  /**
   * Sends a message over the socket; resolves with the stored message once acked. A `clientId` is
   * added when missing, and the send survives reconnects: it is repeated with the same clientId
   * until the server acks it (once) or refuses it (SendError).
   */
  send(target: Target, message: OutgoingMessage): Promise<Message> {
    if (this.#stopped && this.state === 'closed') return Promise.reject(new SendError('closed', 'the socket is closed'));
    const ref = `s${++refCounter}`;
    const full = { ...message, clientId: message.clientId ?? newClientId() };
    return new Promise<Message>((resolve, reject) => {
      this.#pending.set(ref, { target, message: full, resolve, reject });
      if (this.#ready) this.#transmit(ref);
    });
  }

  /** Tells the conversation you are (or stopped) typing; ephemeral, not resent. */
  typing(target: Target, active = true): void {
    if (this.#ready) this.#ws?.send(JSON.stringify({ type: 'typing', ...target, active }));
  }

  #transmit(ref: string): void {
    const p = this.#pending.get(ref);
    const ws = this.#ws;
    if (!p || !ws || ws.readyState !== WebSocket.OPEN) return;
    ws.send(JSON.stringify({ type: 'send', ref, message: { ...p.target, ...p.message } }));
  }

  #set(s: SocketState, detail?: string): void {
    this.state = s;
    this.#o.onState?.(s, detail);
  }

  #stopBeating(): void {
    clearInterval(this.#heartbeat);
    clearTimeout(this.#pongDue);
    this.#heartbeat = undefined;
    this.#pongDue = undefined;
  }

  #beat(ws: WebSocket, everyMs: number): void {
    this.#stopBeating();
    this.#heartbeat = setInterval(() => {
      if (ws.readyState !== WebSocket.OPEN) return;
      ws.send('{"type":"ping"}');
      // A connection can die without a close (a cut network): no pong in time means it is gone.
      this.#pongDue ??= setTimeout(() => {
        if (this.#ws === ws) this.#drop(ws, DEAD, 'no pong from the server');
      }, this.#o.pongTimeoutMs ?? 10_000);
    }, everyMs);
  }

  /** Gives up on a connection at once (its close may never arrive) and schedules the reconnect. */
  #drop(ws: WebSocket, code: number, reason: string): void {
    try {
      ws.close(code, reason);
    } catch {
      // already closing
    }
    this.#closed(ws, code, reason);
  }

  #open(): void {
    const token = this.#o.token();
    if (!token || this.#stopped) return;
    this.#set('connecting');
    this.#ready = false;
    const ws = new WebSocket(`${this.#o.url}?token=${encodeURIComponent(token)}`);
    this.#ws = ws;
    ws.onopen = () => {
      const positions = this.#o.positions?.() ?? {};
      ws.send(JSON.stringify(Object.keys(positions).length ? { type: 'hello', positions } : { type: 'hello' }));
      this.#beat(ws, this.#o.heartbeatMs ?? 25_000);
    };
    // Fan-out frames arrive as binary (UTF-8 JSON encoded once for every recipient), replies as text.
    ws.binaryType = 'arraybuffer';
    ws.onmessage = (e) => this.#frame(ws, typeof e.data === 'string' ? e.data : utf8.decode(e.data as ArrayBuffer));
    ws.onclose = (e) => this.#closed(ws, e.code, e.reason);
  }

  #closed(ws: WebSocket, code: number, reason: string): void {
    if (this.#ws !== ws) return;
    this.#stopBeating();
    this.#ws = undefined;
    this.#ready = false;
    if (this.#stopped) return;
    if (FINAL.has(code)) {
      this.#set('closed', reason || `closed (${code})`);
      return;
    }
    this.#set('offline', reason || undefined);
    const min = this.#o.minBackoffMs ?? 500;
    const max = this.#o.maxBackoffMs ?? 30_000;
    // Jitter spreads the reconnects of many clients after a server restart.
    const delay = AT_ONCE.has(code) && this.#attempt === 0 ? 0 : Math.min(max, min * 2 ** this.#attempt) * (0.75 + Math.random() / 2);
    this.#attempt++;
    this.#retry = setTimeout(() => this.#open(), delay);
  }

  #frame(ws: WebSocket, text: string): void {
    if (this.#ws !== ws) return;
    let f: Record<string, unknown>;
    try {
      f = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return;
    }
    // Any frame proves the connection alive.
    clearTimeout(this.#pongDue);
    this.#pongDue = undefined;
    switch (f.type) {
      case 'welcome':
        this.userId = typeof f.userId === 'number' ? f.userId : this.userId;
        this.#beat(ws, Math.max(5000, Number(f.heartbeatMs) || 25_000));
        break;
      case 'ready':
        this.#ready = true;
        this.#online();
        this.#o.onReady?.((f.positions ?? {}) as Record<string, number>);
        // What was not acknowledged before the drop goes again, in the order it was first sent.
        for (const ref of this.#pending.keys()) this.#transmit(ref);
        break;
      case 'ack': {
        const p = this.#pending.get(String(f.ref));
        if (!p) break;
        this.#pending.delete(String(f.ref));
        p.resolve(f.message as Message);
        break;
      }
      case 'error': {
        const p = f.ref === undefined ? undefined : this.#pending.get(String(f.ref));
        if (!p) break;
        // Too many in flight is a pace problem, not a refusal: it goes again a moment later.
        if (f.code === 'too_many_in_flight') {
          const ref = String(f.ref);
          setTimeout(() => this.#ready && this.#ws === ws && this.#transmit(ref), 200);
          break;
        }
        this.#pending.delete(String(f.ref));
        p.reject(new SendError(String(f.code), String(f.message ?? f.code), f.details as Record<string, unknown> | undefined));
        break;
      }
      case 'message':
        if (f.message) this.#o.onMessage?.(f.message as Message, typeof f.conversation === 'string' ? f.conversation : undefined);
        break;
      case 'event': {
        const ev = f.event as Record<string, unknown> | undefined;
        if (!ev) break;
        // Message events carry the stored message: hand it over like a pushed one.
        if ((ev.type === 'message.sent' || ev.type === 'message.revoked' || ev.type === 'message.edited') && ev.message) this.#o.onMessage?.(ev.message as Message);
        else this.#o.onEvent?.(ev);
        break;
      }
      case 'typing':
        if (typeof f.userId === 'number') this.#o.onTyping?.(f as unknown as TypingFrame);
        break;
      case 'presence':
        if (typeof f.userId === 'number') this.#o.onPresence?.({ userId: f.userId, online: f.online === true, ...(typeof f.lastSeenAt === 'number' ? { lastSeenAt: f.lastSeenAt } : {}) });
        break;
      case 'gap':
        // The server cannot replay part of a conversation: the owner re-reads it over HTTP.
        if (this.#o.onGap) this.#o.onGap({ conversation: String(f.conversation), after: Number(f.after), ...(f.before !== undefined ? { before: Number(f.before) } : {}), reason: String(f.reason) });
        else this.#o.onOnline?.(true);
        break;
      default:
        break;
    }
  }

  #online(): void {
    const reconnect = this.#everOnline;
    this.#everOnline = true;
    this.#attempt = 0;
    this.#set('online');
    this.#o.onOnline?.(reconnect);
  }
}
