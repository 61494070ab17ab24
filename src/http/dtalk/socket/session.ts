// One dtalk socket connection (the original's comet, the original's source "Socket
// gateway"): binary frames with the 20-byte header; Auth must come first
// (other frames are ignored until then); heartbeats are answered with a
// 4-byte body; pushes are op 9 with this connection's own seq and are
// re-sent every `rtoMs` until the client acks them with op 10. A pushed
// message is remembered with its push until acked, so an ack says which
// message the device now has (a phone's stream position and the Received
// signal build on that, in the gateway).

import type { WebSocket } from 'ws';
import type { DtalkCaller } from '../auth.ts';
import { FrameError, Op, decodeFrame, encodeFrame, type Frame } from '../proto/frame.ts';
import { sendFailure } from './send-failure.ts';

export const SessionState = { awaitingAuth: 0, authenticating: 1, open: 2, closed: 3 } as const;
type SessionState = (typeof SessionState)[keyof typeof SessionState];

export interface SessionDeviceInfo {
  uuid: string;
  /** Device enum name (Android, IOS, …) or '' when the Login ext named none we know. */
  kind: string;
  name: string;
  /** When this connection's sign-in was recorded (its own EndpointLogin carries it). */
  signedInAt: number;
}

/** What the session asks of the socket endpoint: auth and sends go to core. */
export interface SessionHost {
  now(): number;
  /** Resolves the Auth frame body: the caller, or a refusal body to answer on op 2 (socket stays open). Throws to close. */
  authenticate(session: DtalkSession, body: Uint8Array): Promise<{ caller: DtalkCaller; device: SessionDeviceInfo } | { refusal: Uint8Array }>;
  /**
   * Makes what the session hears live (its bus topics), before op 2: a client
   * holding its op 2 misses nothing committed after. Pushes wait meanwhile.
   */
  subscribe(session: DtalkSession): Promise<void>;
  /** Registers an authenticated session (after op 2 is sent); it ends by calling `releasePushes`. */
  opened(session: DtalkSession): void;
  /** An op 7 send; resolves with the op 8 body (a CommonAck envelope, or the error of a refused send). */
  send(session: DtalkSession, body: Uint8Array): Promise<Uint8Array>;
  /** The client acked the op 9 push of this message. */
  acked(session: DtalkSession, message: PushedMessage): void;
  closed(session: DtalkSession): void;
  log(err: unknown, msg: string): void;
  /** The socket errored (a reset, a frame over the limit): reported; 'close' follows. */
  socketError(session: DtalkSession, error: unknown): void;
}

/** A Common message pushed on op 9: what an ack of it tells. */
export interface PushedMessage {
  mid: number;
  /** Its position in core's message stream. */
  pos: number;
  senderId: number | null;
  private: boolean;
}

interface Pending {
  bytes: Buffer;
  sentAt: number;
  message?: PushedMessage;
}

/** Pushes kept un-acked per connection; a client that stops acking is disconnected past this. */
const MAX_PENDING = 1024;
/** Envelope ids remembered to drop an event that arrived by two topics (user and group). */
const RECENT_EVENTS = 32;
/**
 * Message ids remembered to push a message once: a replay's tail and the live
 * messages held meanwhile overlap, as do a join's store read and live ones.
 */
const RECENT_MESSAGES = 512;
/** Messages remembered as on a phone until its stream position passes them. */
const MAX_RECEIVED = 4096;
/** Stands for "position not known yet" (a message this connection sent, before its push arrives). */
const UNKNOWN_POS = Number.MAX_SAFE_INTEGER;

export class DtalkSession {
  readonly id: number;
  readonly #ws: WebSocket;
  readonly #host: SessionHost;
  #state: SessionState = SessionState.awaitingAuth;
  #caller: DtalkCaller | undefined;
  #device: SessionDeviceInfo | undefined;
  #seq = 0;
  readonly #pending = new Map<number, Pending>();
  /** Frames that arrived while Auth was being checked, handled in order after it. */
  #early: Frame[] = [];
  /** Client seqs of messages this connection sent over the socket (not pushed back to it). */
  readonly #ownSends = new Set<string>();
  readonly #recentEvents: string[] = [];
  readonly #pushedMids = new Set<number>();
  /** Messages the device has (acked, or sent over this connection), with their stream position; phones only. */
  #received: Map<number, number> | undefined;
  /** Live pushes waiting until the connection is ready (subscribed, a phone's replay done): they follow. */
  #held: { body: Uint8Array; message: PushedMessage | undefined }[] | undefined;
  /** A phone's stream position as stored (see the gateway's replay and settle). */
  position: number | undefined;
  /** Messages were acked since the position was last settled. */
  unsettled = false;
  lastSeen: number;
  readonly openedAt: number;

  constructor(id: number, ws: WebSocket, host: SessionHost) {
    this.id = id;
    this.#ws = ws;
    this.#host = host;
    this.openedAt = host.now();
    this.lastSeen = this.openedAt;
    ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => this.#onMessage(toBuffer(data)));
    ws.on('close', () => this.#onClosed());
    ws.on('error', (error) => {
      this.#host.socketError(this, error);
      this.#onClosed();
    });
  }

  get caller(): DtalkCaller | undefined {
    return this.#caller;
  }
  get device(): SessionDeviceInfo | undefined {
    return this.#device;
  }
  get isOpen(): boolean {
    return this.#state === SessionState.open;
  }
  get isClosed(): boolean {
    return this.#state === SessionState.closed;
  }
  get pendingCount(): number {
    return this.#pending.size;
  }

  #onMessage(data: Buffer): void {
    if (this.#state === SessionState.closed) return;
    let frame: Frame;
    try {
      frame = decodeFrame(data);
    } catch (e) {
      // The original drops the connection on a malformed frame.
      if (e instanceof FrameError) return this.close();
      throw e;
    }
    this.lastSeen = this.#host.now();
    if (this.#state === SessionState.authenticating) {
      if (this.#early.length < 16) this.#early.push(frame);
      return;
    }
    this.#handle(frame);
  }

  #handle(frame: Frame): void {
    if (this.#state === SessionState.awaitingAuth) {
      if (frame.op === Op.auth) void this.#auth(frame);
      return; // frames other than Auth are ignored until Auth
    }
    if (this.#state !== SessionState.open) return;
    switch (frame.op) {
      case Op.heartbeat:
        this.write({ op: Op.heartbeatReply, seq: frame.seq, body: ONLINE_ZERO });
        return;
      case Op.receiveMsgReply: {
        const acked = this.#pending.get(frame.ack);
        this.#pending.delete(frame.ack);
        if (acked?.message) {
          this.noteReceived(acked.message.mid, acked.message.pos);
          this.#host.acked(this, acked.message);
        }
        return;
      }
      case Op.sendMsg:
        void this.#send(frame);
        return;
      case Op.disconnect:
        this.write({ op: Op.disconnectReply, seq: frame.seq });
        this.close();
        return;
      default:
        return; // sync (14/15) is disabled in the original; other ops are the server's
    }
  }

  async #auth(frame: Frame): Promise<void> {
    this.#state = SessionState.authenticating;
    try {
      const result = await this.#host.authenticate(this, frame.body);
      if ((this.#state as SessionState) === SessionState.closed) return;
      if ('refusal' in result) {
        this.write({ op: Op.authReply, seq: frame.seq, body: result.refusal });
        this.#state = SessionState.awaitingAuth;
      } else {
        this.#caller = result.caller;
        this.#device = result.device;
        this.#held = [];
        await this.#host.subscribe(this);
        if ((this.#state as SessionState) === SessionState.closed) return;
        this.#state = SessionState.open;
        this.write({ op: Op.authReply, seq: frame.seq });
        this.#host.opened(this);
      }
    } catch (e) {
      this.#host.log(e, 'dtalk socket auth refused');
      this.close();
      return;
    }
    const early = this.#early;
    this.#early = [];
    for (const f of early) this.#handle(f);
  }

  isOwnSend(clientId: string): boolean {
    return this.#ownSends.has(clientId);
  }

  /** Marks a client seq as sent by this connection, before the send commits. */
  markOwnSend(clientId: string): void {
    if (this.#ownSends.size >= 256) this.#ownSends.delete(this.#ownSends.values().next().value as string);
    this.#ownSends.add(clientId);
  }

  async #send(frame: Frame): Promise<void> {
    try {
      const body = await this.#host.send(this, frame.body);
      this.write({ op: Op.sendMsgReply, seq: frame.seq, ack: frame.seq, body });
    } catch (e) {
      // The host answers every failure itself; this is a last resort so the
      // client, which waits for its op 8, always gets one.
      this.#host.log(e, 'dtalk socket send failed');
      this.write({ op: Op.sendMsgReply, seq: frame.seq, ack: frame.seq, body: sendFailure(e) });
    }
  }

  /**
   * A push from the bus: dropped when the same event already came by another
   * topic; it waits while the connection is not ready yet.
   */
  deliver(eventId: string, bodies: readonly Uint8Array[], message?: PushedMessage): void {
    if (this.#recentEvents.includes(eventId)) return;
    this.#recentEvents.push(eventId);
    if (this.#recentEvents.length > RECENT_EVENTS) this.#recentEvents.shift();
    for (const body of bodies) {
      if (this.#held) {
        if (this.#held.length >= MAX_PENDING) return this.close();
        this.#held.push({ body, message });
      } else this.push(body, message);
    }
  }

  /** The connection is ready: the pushes that waited go out, in arrival order. */
  releasePushes(): void {
    const held = this.#held ?? [];
    this.#held = undefined;
    for (const h of held) this.push(h.body, h.message);
  }

  /**
   * Pushes a business envelope as op 9 with the next seq of this connection;
   * kept until acked. A message already pushed here is not pushed again.
   */
  push(body: Uint8Array, message?: PushedMessage): void {
    if (this.#state !== SessionState.open) return;
    if (message) {
      if (this.#pushedMids.has(message.mid)) return;
      this.#pushedMids.add(message.mid);
      if (this.#pushedMids.size > RECENT_MESSAGES) this.#pushedMids.delete(this.#pushedMids.values().next().value as number);
    }
    if (this.#pending.size >= MAX_PENDING) return this.close();
    const seq = ++this.#seq;
    const bytes = encodeFrame({ op: Op.receiveMsg, seq, body });
    this.#pending.set(seq, { bytes, sentAt: this.#host.now(), ...(message ? { message } : {}) });
    this.#ws.send(bytes);
  }

  /** The device has this message (it acked the push, or sent it over this connection). */
  noteReceived(mid: number, pos = UNKNOWN_POS): void {
    const received = this.#received;
    if (!received) return;
    const known = received.get(mid);
    received.set(mid, known === undefined || known === UNKNOWN_POS ? pos : known);
    if (received.size > MAX_RECEIVED) received.delete(received.keys().next().value as number);
    this.unsettled = true;
  }

  /** From now on, what the device receives is remembered (a phone, whose stream position is kept). */
  trackReceived(): void {
    this.#received ??= new Map();
  }

  hasReceived(mid: number): boolean {
    return this.#received?.has(mid) ?? false;
  }

  /** The stored position now covers everything up to `pos` (it only moves forward): forget what it covers. */
  settledAt(pos: number): void {
    if (this.position !== undefined && pos <= this.position) return;
    this.position = pos;
    for (const [mid, p] of this.#received ?? []) if (p <= pos) this.#received!.delete(mid);
  }

  /** Re-sends every push older than `rtoMs` that is still un-acked. */
  retransmit(rtoMs: number): void {
    if (this.#state !== SessionState.open) return;
    const now = this.#host.now();
    for (const p of this.#pending.values()) {
      if (now - p.sentAt < rtoMs) continue;
      p.sentAt = now;
      this.#ws.send(p.bytes);
    }
  }

  write(f: Partial<Frame> & { op: number }): void {
    if (this.#ws.readyState === this.#ws.OPEN) this.#ws.send(encodeFrame(f));
  }

  close(): void {
    if (this.#state === SessionState.closed) return;
    this.#onClosed();
    try {
      this.#ws.close();
    } catch {
      this.#ws.terminate();
    }
  }

  #onClosed(): void {
    if (this.#state === SessionState.closed) return;
    this.#state = SessionState.closed;
    this.#pending.clear();
    this.#early = [];
    this.#held = undefined;
    this.#host.closed(this);
  }
}

/** The heartbeat reply body: int32 "online", always 0. */
const ONLINE_ZERO = new Uint8Array(4);

function toBuffer(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
