// A session's way out: frames to one WebSocket through the socket's own
// buffer, bounded. A frame that would take the buffer past the bound is not
// written and the owner is told (it cuts the client off: slow consumer).
// Frames written in one turn of the event loop (a group commit's batch, a
// replayed page) leave in one write: the TCP socket is corked for the turn.

import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { Delivery } from './envelope.ts';

export interface OutboundOwner {
  readonly closed: boolean;
  /** The client fell too far behind. */
  overflowed(): void;
}

const uncork = (o: Outbound) => o.flush();

export class Outbound {
  readonly #ws: WebSocket;
  /** The TCP socket under the WebSocket. */
  readonly #raw: Socket | undefined;
  readonly #owner: OutboundOwner;
  readonly #limit: number;
  #corked = false;

  constructor(ws: WebSocket, raw: Socket | undefined, owner: OutboundOwner, limitBytes: number) {
    this.#ws = ws;
    this.#raw = raw;
    this.#owner = owner;
    this.#limit = limitBytes;
  }

  /** Bytes written but not yet taken by the network. */
  get queued(): number {
    return this.#ws.bufferedAmount;
  }

  /** Writes one frame unless the client is too far behind. */
  write(data: string | Buffer): void {
    if (!this.#room(typeof data === 'string' ? Buffer.byteLength(data) : data.length)) return;
    this.#cork();
    this.#ws.send(data);
  }

  /**
   * Writes a delivery's frame, framed once for every socket it goes to (see
   * wire.ts), straight to the TCP socket; ws's own sender never holds frames
   * back here (no compression), so the order of frames on the wire is the
   * order of these calls.
   */
  deliver(d: Delivery): void {
    const raw = this.#raw;
    if (!d.wire || !raw) return this.write(d.data!);
    if (!this.#room(d.wire.length) || this.#ws.readyState !== this.#ws.OPEN) return;
    this.#cork();
    raw.write(d.wire);
  }

  /**
   * Writes an ephemeral frame (typing, presence) only while the client is
   * less than a quarter of the bound behind; otherwise drops it, and never
   * cuts the client off for it: durable frames keep the rest of the room.
   * False when dropped.
   */
  deliverEphemeral(d: Delivery): boolean {
    if (this.#owner.closed || this.#ws.readyState !== this.#ws.OPEN) return false;
    if (this.#ws.bufferedAmount > this.#limit / 4) return false;
    const raw = this.#raw;
    this.#cork();
    if (d.wire && raw) raw.write(d.wire);
    else this.#ws.send(d.data!);
    return true;
  }

  /** Ends the burst started by a write. */
  flush(): void {
    if (!this.#corked) return;
    this.#corked = false;
    this.#raw?.uncork();
  }

  #room(bytes: number): boolean {
    if (this.#owner.closed) return false;
    const queued = this.#ws.bufferedAmount;
    // A frame larger than the whole queue still goes out when nothing waits before it.
    if (queued > 0 && queued + bytes > this.#limit) {
      this.#owner.overflowed();
      return false;
    }
    return true;
  }

  #cork(): void {
    if (this.#raw && !this.#corked) {
      this.#corked = true;
      this.#raw.cork();
      process.nextTick(uncork, this);
    }
  }
}
