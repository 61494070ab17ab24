// One WebSocket connection of one user's device: its frames from the client
// (hello, send, typing, ping), the topics it holds, and its phases (waiting
// for hello, catching up from the store, live). The order of what the client
// sees is ordered-delivery.ts's; its sends are sends.ts's, its typing frames
// typing-frames.ts's. Its write queue is the socket's own buffer, bounded
// (outbound.ts): a client that falls PARLEY_WS_QUEUE_BYTES behind is cut off
// (4008) and resumes later, which costs it a reconnect and costs everyone
// else nothing.

import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { UserPrincipal } from './contract.ts';
import type { Delivery } from './envelope.ts';
import { OrderedDelivery, type OrderedHost } from './ordered-delivery.ts';
import { Outbound } from './outbound.ts';
import { RecentIds } from './recent-ids.ts';
import { Sends } from './sends.ts';
import type { GatewayNode } from './node.ts';
import { CloseCode, frame, parseClientFrame, type CloseReason, type HelloFrame, type TypingFrame } from './protocol.ts';
import { TypingFrames } from './typing-frames.ts';

/** new: connected, waiting for hello · catching-up: subscribed, replaying the store · live · closed */
type Phase = 'new' | 'catching-up' | 'live' | 'closed';

/** Messages read from the store after joining a group while connected (the join→subscribe window). */
const JOIN_WINDOW = 50;

export class Session implements OrderedHost {
  readonly id: string;
  readonly principal: UserPrincipal;
  lastSeen: number;
  readonly #ws: WebSocket;
  readonly #out: Outbound;
  readonly #node: GatewayNode;
  readonly #recent = new RecentIds();
  readonly #order: OrderedDelivery;
  #phase: Phase = 'new';
  // Allocated only when needed: most sessions are idle most of the time.
  #pending: Delivery[] | undefined;
  #pendingBytes = 0;
  /** Groups joined while connected whose recent messages are being read: their live messages wait. */
  #joining: Map<string, Delivery[]> | undefined;
  #sends: Sends | undefined;
  #typing: TypingFrames | undefined;

  constructor(id: string, ws: WebSocket, node: GatewayNode, principal: UserPrincipal, raw?: Socket) {
    this.id = id;
    this.#ws = ws;
    this.#out = new Outbound(ws, raw, this, node.settings.queueBytes);
    this.#node = node;
    this.principal = principal;
    this.lastSeen = node.core.clock.now();
    this.#order = new OrderedDelivery(this, node, this.#recent);
  }

  get closed(): boolean {
    return this.#phase === 'closed';
  }

  // ---- from the client ---------------------------------------------------

  onFrame(text: string): void {
    if (this.closed) return;
    this.lastSeen = this.#node.core.clock.now();
    const parsed = parseClientFrame(text);
    if (!parsed.ok) {
      this.write(frame.error('bad_frame', parsed.error, parsed.ref));
      if (parsed.ref === undefined) this.close(CloseCode.protocolError);
      return;
    }
    const f = parsed.frame;
    switch (f.type) {
      case 'ping':
        this.write(frame.pong(f.data));
        return;
      case 'hello':
        if (this.#phase !== 'new') {
          this.write(frame.error('bad_frame', 'hello was already sent'));
          this.close(CloseCode.protocolError);
          return;
        }
        this.#hello(f).catch((e: unknown) => this.fault(e));
        return;
      case 'send':
        if (this.#phase === 'new') {
          this.write(frame.error('hello_required', 'send hello first', f.ref));
          return;
        }
        (this.#sends ??= new Sends()).submit(this, this.#node.core, (what, e) => this.#node.failed(what, e, this.id), f);
        return;
      case 'typing':
        this.#typingFrame(f);
        return;
    }
  }

  /** A typing signal: refused with an error frame, otherwise no answer (ephemeral). */
  #typingFrame(f: TypingFrame): void {
    const presence = this.#node.core.presence;
    if (this.#phase === 'new' || !presence) {
      this.write(frame.error(presence ? 'hello_required' : 'unsupported', presence ? 'send hello first' : 'typing is not served here', f.ref));
      return;
    }
    this.#typing ??= new TypingFrames({ principal: this.principal, write: (data) => this.write(data), failed: (what, e) => this.#node.failed(what, e, this.id) }, presence);
    this.#typing.submit(f);
  }

  /** The client is still there (a protocol-level ping or pong). */
  touch(): void {
    this.lastSeen = this.#node.core.clock.now();
  }

  async #hello(f: HelloFrame): Promise<void> {
    this.#phase = 'catching-up';
    this.#pending = [];
    // Live traffic first, so nothing committed from here on can slip between
    // the store read below and the first live delivery.
    const p = this.principal;
    const groups = await this.#node.core.membershipsOf(p.appId, p.userId);
    if (this.closed) return;
    for (const g of groups) this.#order.joined(`g:${g.groupId}`, g.joinedAt);
    await Promise.all([this.#node.topics.user(p.userId), ...groups.map((g) => this.#node.topics.group(g.groupId))].map((t) => this.attach(t)));
    this.#order.resumeFrom(f.positions ?? {});
    await this.#order.catchUp(this.#order.conversations);
    if (this.closed) return;
    this.write(frame.ready(this.#order.positions));
    this.#goLive();
  }

  // ---- topics --------------------------------------------------------------

  async attach(topic: string): Promise<void> {
    // The node keeps which topics each session holds (one set per session, not two).
    if (this.closed || this.#node.holds(this, topic)) return;
    await this.#node.attach(this, topic);
  }

  detach(topic: string): void {
    this.#node.detach(this, topic);
  }

  /**
   * The user joined a group while connected: subscribe, then read from the
   * store what the group got between the join (`at`) and the subscription,
   * holding live messages of the group meanwhile. Before the join, history is
   * for the client to page, not to push.
   */
  async joinGroup(groupId: number, at: number | undefined): Promise<void> {
    const topic = this.#node.topics.group(groupId);
    const c = `g:${groupId}`;
    // A rejoin starts the member's history anew, even while the topic is still held.
    if (at !== undefined) this.#order.joined(c, at);
    if (this.closed || this.#node.holds(this, topic)) return;
    this.#joining ??= new Map();
    this.#joining.set(c, []);
    try {
      await this.attach(topic);
      const recent = this.#order.has(c) ? [] : await this.#node.core.recentMessages(this.principal, c, JOIN_WINDOW);
      if (this.closed) return;
      for (const m of recent) {
        if (at === undefined || m.at < at) this.#order.skip(m);
        else this.#order.writeStored(m);
      }
    } finally {
      const held = this.#joining?.get(c) ?? [];
      this.#joining?.delete(c);
      for (const d of held) this.receive(d);
    }
  }

  // ---- to the client ---------------------------------------------------------

  /** A delivery from the bus, shared with the node's other sessions. */
  receive(d: Delivery): void {
    if (d.ephemeral) return this.#ephemeral(d);
    const joining = d.conversation !== undefined ? this.#joining?.get(d.conversation) : undefined;
    if (joining) joining.push(d);
    else if (this.#phase === 'live') this.#order.accept(d);
    else if (this.#phase === 'catching-up') {
      this.#pending!.push(d);
      this.#pendingBytes += d.data?.length ?? 0;
      // Live traffic that piles up while the store is read counts against the same bound.
      if (this.#pendingBytes > this.#node.settings.queueBytes) this.close(CloseCode.slowConsumer);
    }
  }

  /**
   * Typing and presence: only live (never held while catching up, never
   * replayed), not to the user it is about, at most once per envelope, and
   * dropped rather than queued when the client is behind.
   */
  #ephemeral(d: Delivery): void {
    if (this.#phase !== 'live' || !d.data || d.from === this.principal.userId) return;
    if (this.#recent.seen(d.id)) return;
    if (!this.#out.deliverEphemeral(d)) this.#node.stats.ephemeralDropped++;
  }

  /** Writes one frame unless the client is too far behind; then it is cut off. */
  write(data: string | Buffer): void {
    this.#out.write(data);
  }

  /** Writes a live delivery's shared bytes (ordered-delivery.ts decides when). */
  deliver(d: Delivery): void {
    this.#node.stats.deliveries++;
    this.#out.deliver(d);
  }

  /** The client fell PARLEY_WS_QUEUE_BYTES behind (called by the outbound queue). */
  overflowed(): void {
    this.#node.stats.slowConsumers++;
    this.close(CloseCode.slowConsumer);
  }

  #goLive(): void {
    const pending = this.#pending ?? [];
    this.#pending = undefined;
    this.#pendingBytes = 0;
    this.#phase = 'live';
    for (const d of pending) {
      if (this.closed) return;
      this.#order.accept(d);
    }
  }

  /**
   * The bus may have dropped notifications: re-read the store after every
   * known position, as a resume does, then go on live.
   */
  async recover(): Promise<void> {
    if (this.#phase === 'catching-up') {
      this.close(CloseCode.resumeRequired);
      return;
    }
    if (this.#phase !== 'live') return;
    this.#phase = 'catching-up';
    this.#pending = [];
    try {
      await this.#order.catchUp(this.#order.conversations);
      if (!this.closed) this.#goLive();
    } catch (e) {
      this.fault(e);
    }
  }

  /** Resolves once the socket's queue is below half its bound (between replayed pages). */
  async drained(): Promise<void> {
    const half = this.#node.settings.queueBytes / 2;
    while (!this.closed && this.#out.queued > half) await new Promise((r) => setTimeout(r, 5));
  }

  // ---- ending ----------------------------------------------------------------

  /** Something failed that this session cannot go on after: logged, and the client told to resume. */
  fault(e: unknown): void {
    if (this.closed) return;
    this.#node.failed('session', e, this.id);
    this.close(CloseCode.internal);
  }

  /** Server-side close with a code from the table. */
  close(reason: CloseReason): void {
    if (this.closed) return;
    this.#end();
    this.#ws.close(reason.code, reason.reason);
    if (reason === CloseCode.slowConsumer) {
      // Its close frame waits behind the data it is not reading: don't wait for it.
      setTimeout(() => this.#ws.terminate(), 1000).unref();
    }
  }

  /** The socket is gone (either side closed it). */
  onSocketClosed(): void {
    if (!this.closed) this.#end();
  }

  #end(): void {
    this.#phase = 'closed';
    this.#order.stop();
    this.#pending = undefined;
    this.#node.detachAll(this);
    this.#node.forget(this);
  }
}
