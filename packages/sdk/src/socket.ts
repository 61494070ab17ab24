// The real-time connection: one WebSocket to /v1/ws that says hello, answers
// the server's heartbeat expectations, and reconnects by itself with backoff
// when the server restarts or the network drops. The store is the truth: after
// every (re)connect the owner of the socket catches up over HTTP (sync), so a
// frame lost while offline is never a lost message.

import type { Message } from './types.ts';

export type SocketState = 'connecting' | 'online' | 'offline' | 'closed';

export interface SocketOptions {
  url: string;
  /** Read at every connect, so a new sign-in is picked up. */
  token: () => string | undefined;
  /** Last seq held per conversation, sent in hello so the server can resume. */
  positions?: () => Record<string, number>;
  onState?: (state: SocketState, detail?: string) => void;
  /** A new or changed (revoked) message. */
  onMessage?: (m: Message) => void;
  /** Any other server event (membership, group changes, read positions). */
  onEvent?: (event: Record<string, unknown>) => void;
  /** Called after each successful (re)connect: the time to fetch what was missed. */
  onOnline?: (reconnect: boolean) => void;
}

/** Close codes after which reconnecting cannot help until the cause is fixed (docs/websocket.md). */
const FINAL = new Set([1009, 4001, 4002, 4003, 4005]);
const MAX_BACKOFF_MS = 8000;
const utf8 = new TextDecoder();

export class ParleySocket {
  readonly #o: SocketOptions;
  #ws: WebSocket | undefined;
  #attempt = 0;
  #everOnline = false;
  #stopped = false;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  state: SocketState = 'offline';

  constructor(o: SocketOptions) {
    this.#o = o;
  }

  connect(): void {
    this.#stopped = false;
    this.#open();
  }

  close(): void {
    this.#stopped = true;
    clearTimeout(this.#retry);
    clearInterval(this.#heartbeat);
    this.#ws?.close(1000, 'bye');
    this.#ws = undefined;
    this.#set('closed');
  }

  #set(s: SocketState, detail?: string): void {
    this.state = s;
    this.#o.onState?.(s, detail);
  }

  #open(): void {
    const token = this.#o.token();
    if (!token || this.#stopped) return;
    this.#set('connecting');
    const ws = new WebSocket(`${this.#o.url}?token=${encodeURIComponent(token)}`);
    this.#ws = ws;
    ws.onopen = () => {
      const positions = this.#o.positions?.() ?? {};
      ws.send(JSON.stringify(Object.keys(positions).length ? { type: 'hello', positions } : { type: 'hello' }));
    };
    // Fan-out frames arrive as binary (UTF-8 JSON encoded once for every recipient), replies as text.
    ws.binaryType = 'arraybuffer';
    ws.onmessage = (e) => this.#frame(ws, typeof e.data === 'string' ? e.data : utf8.decode(e.data as ArrayBuffer));
    ws.onclose = (e) => {
      if (this.#ws !== ws) return;
      clearInterval(this.#heartbeat);
      this.#ws = undefined;
      if (this.#stopped) return;
      if (FINAL.has(e.code)) {
        this.#set('closed', e.reason || `closed (${e.code})`);
        return;
      }
      this.#set('offline', e.reason || undefined);
      const delay = Math.min(MAX_BACKOFF_MS, 250 * 2 ** this.#attempt++) * (0.75 + Math.random() / 2);
      this.#retry = setTimeout(() => this.#open(), delay);
    };
  }

  #frame(ws: WebSocket, text: string): void {
    let f: Record<string, unknown>;
    try {
      f = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return;
    }
    switch (f.type) {
      case 'welcome': {
        const every = Math.max(5000, Number(f.heartbeatMs) || 25_000);
        clearInterval(this.#heartbeat);
        this.#heartbeat = setInterval(() => ws.readyState === WebSocket.OPEN && ws.send('{"type":"ping"}'), every);
        this.#online();
        break;
      }
      case 'message':
        if (f.message) this.#o.onMessage?.(f.message as Message);
        break;
      case 'event': {
        const ev = f.event as Record<string, unknown> | undefined;
        if (!ev) break;
        // Message events carry the stored message: hand it over like a pushed one.
        if ((ev.type === 'message.sent' || ev.type === 'message.revoked') && ev.message) this.#o.onMessage?.(ev.message as Message);
        else this.#o.onEvent?.(ev);
        break;
      }
      case 'gap':
        // The server cannot replay part of a conversation: the owner re-reads it over HTTP.
        this.#o.onOnline?.(true);
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
