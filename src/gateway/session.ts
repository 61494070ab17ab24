// One WebSocket connection of one user's device. It owns the order of what
// the client sees: per conversation, messages leave in seq order without
// duplicates, whether they come from the bus (live) or the store (resume,
// repair). Its write queue is the socket's own buffer, bounded (outbound.ts):
// a client that falls PARLEY_WS_QUEUE_BYTES behind is cut off (4008) and
// resumes later, which costs it a reconnect and costs everyone else nothing.
// Its sends are sends.ts's.

import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { isParleyError } from '../core/errors.ts';
import { quoteHiddenFrom } from '../core/messages/replies.ts';
import type { GatewayMessage, UserPrincipal } from './contract.ts';
import type { Delivery } from './envelope.ts';
import { Outbound } from './outbound.ts';
import { Sends } from './sends.ts';
import type { GatewayNode } from './node.ts';
import { CloseCode, frame, parseClientFrame, type CloseReason, type HelloFrame, type TypingFrame } from './protocol.ts';
import type { TypingLimiter } from '../core/presence/typing-limiter.ts';

/** new: connected, waiting for hello · catching-up: subscribed, replaying the store · live · closed */
type Phase = 'new' | 'catching-up' | 'live' | 'closed';

/** Messages read from the store per query (core may cap it lower). */
const PAGE = 200;
const RECENT_EVENTS = 16;
/** Messages read from the store after joining a group while connected (the join→subscribe window). */
const JOIN_WINDOW = 50;
/** Typing frames waiting for their check; more are dropped (coalesced). */
const MAX_TYPING_QUEUED = 16;
/** Held out-of-order messages per conversation before the store is asked at once. */
const MAX_HELD = 1000;

export class Session {
  readonly id: string;
  readonly principal: UserPrincipal;
  lastSeen: number;
  readonly #ws: WebSocket;
  readonly #out: Outbound;
  readonly #node: GatewayNode;
  #phase: Phase = 'new';
  /** Topics this session holds on the node. */
  readonly #topics = new Set<string>();
  /** Last seq delivered per conversation. */
  readonly #positions = new Map<string, number>();
  /** When the user joined each group conversation (`g:<id>`): quotes of earlier hidden history are hidden. */
  readonly #joinedAt = new Map<string, number>();
  // Allocated only when needed: most sessions are idle most of the time.
  #pending: Delivery[] | undefined;
  #pendingBytes = 0;
  #held: Map<string, Map<number, Delivery>> | undefined;
  #repairs: Map<string, NodeJS.Timeout> | undefined;
  #recent: string[] | undefined;
  /** Groups joined while connected whose recent messages are being read: their live messages wait. */
  #joining: Map<string, Delivery[]> | undefined;
  #sends: Sends | undefined;
  #typingLimiter: TypingLimiter | undefined;
  #typingChain: Promise<void> | undefined;
  #typingQueued = 0;

  constructor(id: string, ws: WebSocket, node: GatewayNode, principal: UserPrincipal, raw?: Socket) {
    this.id = id;
    this.#ws = ws;
    this.#out = new Outbound(ws, raw, this, node.settings.queueBytes);
    this.#node = node;
    this.principal = principal;
    this.lastSeen = node.core.clock.now();
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
        this.#hello(f).catch((e: unknown) => this.#fault(e));
        return;
      case 'send':
        if (this.#phase === 'new') {
          this.write(frame.error('hello_required', 'send hello first', f.ref));
          return;
        }
        (this.#sends ??= new Sends()).submit(this, this.#node.core, (what, e) => this.#node.failed(what, e, this.id), f);
        return;
      case 'typing':
        this.#typing(f);
        return;
    }
  }

  /** A typing signal: refused with an error frame, otherwise no answer (ephemeral). */
  #typing(f: TypingFrame): void {
    const presence = this.#node.core.presence;
    if (this.#phase === 'new' || !presence) {
      this.write(frame.error(presence ? 'hello_required' : 'unsupported', presence ? 'send hello first' : 'typing is not served here', f.ref));
      return;
    }
    // In order (a stop must not overtake its start while the first membership check reads the store), and few at once.
    if (this.#typingQueued >= MAX_TYPING_QUEUED) return;
    const limiter = (this.#typingLimiter ??= presence.newLimiter());
    const target = f.groupId !== undefined ? { groupId: f.groupId } : { userId: f.userId! };
    this.#typingQueued++;
    this.#typingChain = (this.#typingChain ?? Promise.resolve())
      .then(() => presence.typing(this.principal, target, f.active, limiter))
      .then(
        () => {},
        (e: unknown) => {
          if (isParleyError(e)) this.write(frame.error(e.code, e.message, f.ref, e.details));
          else {
            this.#node.failed('typing', e, this.id);
            this.write(frame.error('internal', 'internal error', f.ref));
          }
        },
      )
      .finally(() => this.#typingQueued--);
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
    for (const g of groups) this.#joinedAt.set(`g:${g.groupId}`, g.joinedAt);
    await Promise.all([this.#node.topics.user(p.userId), ...groups.map((g) => this.#node.topics.group(g.groupId))].map((t) => this.attach(t)));
    for (const [c, s] of Object.entries(f.positions ?? {})) this.#positions.set(c, s);
    await this.#catchUp([...this.#positions.keys()]);
    if (this.closed) return;
    this.write(frame.ready(Object.fromEntries(this.#positions)));
    this.#goLive();
  }

  // ---- topics --------------------------------------------------------------

  async attach(topic: string): Promise<void> {
    if (this.closed || this.#topics.has(topic)) return;
    this.#topics.add(topic);
    await this.#node.attach(this, topic);
  }

  detach(topic: string): void {
    if (this.#topics.delete(topic)) this.#node.detach(this, topic);
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
    if (at !== undefined) this.#joinedAt.set(c, at);
    if (this.closed || this.#topics.has(topic)) return;
    this.#joining ??= new Map();
    this.#joining.set(c, []);
    try {
      await this.attach(topic);
      const recent = this.#positions.has(c) ? [] : await this.#node.core.recentMessages(this.principal, c, JOIN_WINDOW);
      if (this.closed) return;
      for (const m of recent) {
        if (at === undefined || m.at < at) {
          // Before the join: not pushed, but the position starts after it.
          if ((this.#positions.get(c) ?? 0) < m.seq) this.#positions.set(c, m.seq);
        } else this.#writeStored(m);
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
    else if (this.#phase === 'live') this.#accept(d);
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
    this.#recent ??= [];
    if (this.#recent.includes(d.id)) return;
    this.#recent.push(d.id);
    if (this.#recent.length > RECENT_EVENTS) this.#recent.shift();
    if (!this.#out.deliverEphemeral(d)) this.#node.stats.ephemeralDropped++;
  }

  /** Writes one frame unless the client is too far behind; then it is cut off. */
  write(data: string | Buffer): void {
    this.#out.write(data);
  }

  /** The client fell PARLEY_WS_QUEUE_BYTES behind (called by the outbound queue). */
  overflowed(): void {
    this.#node.stats.slowConsumers++;
    this.close(CloseCode.slowConsumer);
  }

  #deliver(d: Delivery): void {
    this.#node.stats.deliveries++;
    this.#out.deliver(this.#variantFor(d));
  }

  /** The frame this user may see: a reply quoting group history from before their join gets its quote hidden. */
  #variantFor(d: Delivery): Delivery {
    const later = d.forLaterMembers;
    if (!later || d.conversation === undefined) return d;
    // A join time not known here counts as later: hiding a quote is the safe mistake.
    const joinedAt = this.#joinedAt.get(d.conversation) ?? Number.POSITIVE_INFINITY;
    return quoteHiddenFrom(later.joinedAfter, joinedAt) ? { ...d, data: later.data, wire: later.wire } : d;
  }

  #accept(d: Delivery): void {
    if (!d.data) return;
    if (d.conversation === undefined || d.seq === undefined) {
      // Unordered events: drop one that reached us by two topics (user and group).
      this.#recent ??= [];
      if (this.#recent.includes(d.id)) return;
      this.#recent.push(d.id);
      if (this.#recent.length > RECENT_EVENTS) this.#recent.shift();
      this.#deliver(d);
      return;
    }
    const c = d.conversation;
    const pos = this.#positions.get(c);
    if (pos !== undefined && d.seq <= pos) return; // already delivered
    if (pos === undefined || d.seq === pos + 1) {
      this.#deliver(d);
      this.#positions.set(c, d.seq);
      this.#release(c);
      return;
    }
    // Ahead of a message not seen yet: another node committed it earlier but
    // published it later, or the bus lost it. Hold, wait a little, then read
    // the store.
    this.#held ??= new Map();
    let held = this.#held.get(c);
    if (!held) this.#held.set(c, (held = new Map()));
    held.set(d.seq, d);
    this.#repairs ??= new Map();
    if (held.size > MAX_HELD) this.#repairNow(c);
    else if (!this.#repairs.has(c)) this.#repairs.set(c, setTimeout(() => this.#repairNow(c), this.#node.settings.reorderWaitMs));
  }

  /** Writes held messages that are now next in line. */
  #release(c: string): void {
    const held = this.#held?.get(c);
    if (!held) return;
    let pos = this.#positions.get(c)!;
    for (const seq of [...held.keys()]) if (seq <= pos) held.delete(seq);
    for (let next = held.get(pos + 1); next; next = held.get(pos + 1)) {
      held.delete(pos + 1);
      this.#deliver(next);
      pos += 1;
    }
    this.#positions.set(c, pos);
    if (held.size === 0) {
      this.#held!.delete(c);
      const t = this.#repairs?.get(c);
      if (t) clearTimeout(t);
      this.#repairs?.delete(c);
    }
  }

  #repairNow(c: string): void {
    const t = this.#repairs?.get(c);
    if (t) clearTimeout(t);
    this.#repairs?.delete(c);
    this.#repair(c).catch((e: unknown) => this.#fault(e));
  }

  /** Fills a hole before held messages from the store; if the store has no answer, says so. */
  async #repair(c: string): Promise<void> {
    const held = this.#held?.get(c);
    if (!held || held.size === 0 || this.closed) return;
    this.#node.stats.repairs++;
    const first = Math.min(...held.keys());
    let read = 0;
    for (;;) {
      const from = this.#positions.get(c)!;
      if (from + 1 >= first || read >= this.#node.settings.resumeLimit) break;
      let page: { messages: GatewayMessage[]; more: boolean };
      try {
        page = await this.#node.core.messagesAfter(this.principal, c, from, Math.min(PAGE, first - from - 1));
      } catch (e) {
        if (!isParleyError(e)) throw e;
        break;
      }
      if (this.closed) return;
      for (const m of page.messages) if (m.seq < first) this.#writeStored(m);
      read += page.messages.length;
      if (!page.more || page.messages.length === 0) break;
    }
    const pos = this.#positions.get(c)!;
    const still = this.#held?.get(c);
    if (still && still.size > 0 && !still.has(pos + 1)) {
      const next = Math.min(...still.keys());
      if (next > pos + 1) {
        this.write(frame.gap(c, pos, 'not_delivered', next));
        this.#positions.set(c, next - 1);
      }
    }
    this.#release(c);
  }

  /** A message read from the store, in order, unless already delivered. */
  #writeStored(m: GatewayMessage): void {
    const pos = this.#positions.get(m.conversation);
    if (pos !== undefined && m.seq <= pos) return;
    this.write(frame.message(m.conversation, m.seq, m.message));
    this.#positions.set(m.conversation, m.seq);
  }

  /**
   * Replays from the store what follows each position, page by page, waiting
   * for the socket between pages. Beyond PARLEY_WS_RESUME_LIMIT a conversation
   * gets a gap frame: the client pages its history itself.
   */
  async #catchUp(conversations: string[]): Promise<void> {
    const limit = this.#node.settings.resumeLimit;
    for (const c of conversations) {
      let replayed = 0;
      for (;;) {
        if (this.closed) return;
        const from = this.#positions.get(c)!;
        let page: { messages: GatewayMessage[]; more: boolean };
        try {
          page = await this.#node.core.messagesAfter(this.principal, c, from, Math.min(PAGE, limit - replayed));
        } catch (e) {
          if (!isParleyError(e)) throw e;
          this.write(frame.gap(c, from, e.code));
          this.#positions.delete(c);
          break;
        }
        if (this.closed) return;
        for (const m of page.messages) this.#writeStored(m);
        replayed += page.messages.length;
        if (!page.more || page.messages.length === 0) break;
        if (replayed >= limit) {
          this.write(frame.gap(c, this.#positions.get(c)!, 'resume_limit'));
          // Live messages of this conversation now start a new position.
          this.#positions.delete(c);
          break;
        }
        await this.#drained();
      }
    }
  }

  #goLive(): void {
    const pending = this.#pending ?? [];
    this.#pending = undefined;
    this.#pendingBytes = 0;
    this.#phase = 'live';
    for (const d of pending) {
      if (this.closed) return;
      this.#accept(d);
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
      await this.#catchUp([...this.#positions.keys()]);
      if (!this.closed) this.#goLive();
    } catch (e) {
      this.#fault(e);
    }
  }

  async #drained(): Promise<void> {
    const half = this.#node.settings.queueBytes / 2;
    while (!this.closed && this.#out.queued > half) await new Promise((r) => setTimeout(r, 5));
  }

  // ---- ending ----------------------------------------------------------------

  #fault(e: unknown): void {
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
    for (const t of this.#repairs?.values() ?? []) clearTimeout(t);
    this.#repairs = undefined;
    this.#held = undefined;
    this.#pending = undefined;
    for (const topic of this.#topics) this.#node.detach(this, topic);
    this.#topics.clear();
    this.#node.forget(this);
  }
}
