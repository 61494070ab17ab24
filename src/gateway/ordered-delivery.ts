// The order of what one session's client sees: per conversation, messages
// leave in seq order without duplicates, whether they come from the bus
// (live) or the store (resume, repair). A message that arrives ahead of one
// not seen yet is held a moment, then the hole is read from the store; what
// the store cannot give becomes a gap frame. Also what this client may see of
// a message: a reply whose quote is group history from before its user's
// join goes out in its variant with the quote hidden.

import { isParleyError } from '../core/errors.ts';
import { quoteHiddenFrom } from '../core/messages/replies.ts';
import type { GatewayMessage, UserPrincipal } from './contract.ts';
import type { Delivery } from './envelope.ts';
import type { GatewayNode } from './node.ts';
import { frame } from './protocol.ts';
import type { RecentIds } from './recent-ids.ts';

/** Messages read from the store per query (core may cap it lower). */
const PAGE = 200;
/** Held out-of-order messages per conversation before the store is asked at once. */
const MAX_HELD = 1000;

/** The session an OrderedDelivery writes for. */
export interface OrderedHost {
  readonly closed: boolean;
  readonly principal: UserPrincipal;
  /** Writes one frame (a stored message, a gap). */
  write(data: string | Buffer): void;
  /** Writes a live delivery's shared bytes. */
  deliver(d: Delivery): void;
  /** Resolves once the client has read enough of what was written. */
  drained(): Promise<void>;
  /** Something failed that the session cannot go on after. */
  fault(e: unknown): void;
}

export class OrderedDelivery {
  readonly #host: OrderedHost;
  readonly #node: GatewayNode;
  readonly #recent: RecentIds;
  // Allocated only when needed: most sessions are idle most of the time.
  /** Last seq delivered per conversation. */
  #positions: Map<string, number> | undefined;
  /** When the user joined each group conversation (`g:<id>`): quotes of earlier hidden history are hidden. */
  #joinedAt: Map<string, number> | undefined;
  #held: Map<string, Map<number, Delivery>> | undefined;
  #repairs: Map<string, NodeJS.Timeout> | undefined;

  constructor(host: OrderedHost, node: GatewayNode, recent: RecentIds) {
    this.#host = host;
    this.#node = node;
    this.#recent = recent;
  }

  /** The positions, made on the first one. */
  #positionsMade(): Map<string, number> {
    return (this.#positions ??= new Map());
  }

  /** The client's positions from its hello. */
  resumeFrom(positions: Record<string, number>): void {
    for (const [c, s] of Object.entries(positions)) this.#positionsMade().set(c, s);
  }

  /** Conversations with a known position (what a resume re-reads). */
  get conversations(): string[] {
    return [...(this.#positions?.keys() ?? [])];
  }

  get positions(): Record<string, number> {
    return Object.fromEntries(this.#positions ?? []);
  }

  has(conversation: string): boolean {
    return !!this.#positions?.has(conversation);
  }

  /** The user joined a group at `at` (at hello, or while connected). */
  joined(conversation: string, at: number): void {
    (this.#joinedAt ??= new Map()).set(conversation, at);
  }

  /** A message from before the user joined: not pushed, but the position starts after it. */
  skip(m: GatewayMessage): void {
    if ((this.#positions?.get(m.conversation) ?? 0) < m.seq) this.#positionsMade().set(m.conversation, m.seq);
  }

  /** A live delivery: written now if next in line, held if ahead, dropped if already delivered. */
  accept(d: Delivery): void {
    if (!d.data) return;
    if (d.conversation === undefined || d.seq === undefined) {
      // Unordered events: drop one that reached us by two topics (user and group).
      if (this.#recent.seen(d.id)) return;
      this.#deliver(d);
      return;
    }
    const c = d.conversation;
    const pos = this.#positions?.get(c);
    if (pos !== undefined && d.seq <= pos) return; // already delivered
    if (pos === undefined || d.seq === pos + 1) {
      this.#deliver(d);
      this.#positionsMade().set(c, d.seq);
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

  /** A message read from the store, in order, unless already delivered. */
  writeStored(m: GatewayMessage): void {
    const pos = this.#positions?.get(m.conversation);
    if (pos !== undefined && m.seq <= pos) return;
    this.#host.write(frame.message(m.conversation, m.seq, m.message));
    this.#positionsMade().set(m.conversation, m.seq);
  }

  /**
   * Replays from the store what follows each position, page by page, waiting
   * for the socket between pages. Beyond PARLEY_WS_RESUME_LIMIT a conversation
   * gets a gap frame: the client pages its history itself.
   */
  async catchUp(conversations: string[]): Promise<void> {
    const limit = this.#node.settings.resumeLimit;
    for (const c of conversations) {
      let replayed = 0;
      for (;;) {
        if (this.#host.closed) return;
        const from = this.#positionsMade().get(c)!;
        let page: { messages: GatewayMessage[]; more: boolean };
        try {
          page = await this.#node.core.messagesAfter(this.#host.principal, c, from, Math.min(PAGE, limit - replayed));
        } catch (e) {
          if (!isParleyError(e)) throw e;
          this.#host.write(frame.gap(c, from, e.code));
          this.#positions?.delete(c);
          break;
        }
        if (this.#host.closed) return;
        for (const m of page.messages) this.writeStored(m);
        replayed += page.messages.length;
        if (!page.more || page.messages.length === 0) break;
        if (replayed >= limit) {
          this.#host.write(frame.gap(c, this.#positionsMade().get(c)!, 'resume_limit'));
          // Live messages of this conversation now start a new position.
          this.#positions?.delete(c);
          break;
        }
        await this.#host.drained();
      }
    }
  }

  /** The session ended: no repair runs after it. */
  stop(): void {
    for (const t of this.#repairs?.values() ?? []) clearTimeout(t);
    this.#repairs = undefined;
    this.#held = undefined;
  }

  #deliver(d: Delivery): void {
    this.#host.deliver(this.#variantFor(d));
  }

  /** The frame this user may see: a reply quoting group history from before their join gets its quote hidden. */
  #variantFor(d: Delivery): Delivery {
    const later = d.forLaterMembers;
    if (!later) return d;
    // A join time not known here counts as later: hiding a quote is the safe mistake.
    const joinedAt = this.#joinedAt?.get(later.conversation) ?? Number.POSITIVE_INFINITY;
    return quoteHiddenFrom(later.joinedAfter, joinedAt) ? { ...d, data: later.data, wire: later.wire } : d;
  }

  /** Writes held messages that are now next in line. */
  #release(c: string): void {
    const held = this.#held?.get(c);
    if (!held) return;
    let pos = this.#positionsMade().get(c)!;
    for (const seq of [...held.keys()]) if (seq <= pos) held.delete(seq);
    for (let next = held.get(pos + 1); next; next = held.get(pos + 1)) {
      held.delete(pos + 1);
      this.#deliver(next);
      pos += 1;
    }
    this.#positionsMade().set(c, pos);
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
    this.#repair(c).catch((e: unknown) => this.#host.fault(e));
  }

  /** Fills a hole before held messages from the store; if the store has no answer, says so. */
  async #repair(c: string): Promise<void> {
    const held = this.#held?.get(c);
    if (!held || held.size === 0 || this.#host.closed) return;
    this.#node.stats.repairs++;
    const first = Math.min(...held.keys());
    let read = 0;
    for (;;) {
      const from = this.#positionsMade().get(c)!;
      if (from + 1 >= first || read >= this.#node.settings.resumeLimit) break;
      let page: { messages: GatewayMessage[]; more: boolean };
      try {
        page = await this.#node.core.messagesAfter(this.#host.principal, c, from, Math.min(PAGE, first - from - 1));
      } catch (e) {
        if (!isParleyError(e)) throw e;
        break;
      }
      if (this.#host.closed) return;
      for (const m of page.messages) if (m.seq < first) this.writeStored(m);
      read += page.messages.length;
      if (!page.more || page.messages.length === 0) break;
    }
    const pos = this.#positionsMade().get(c)!;
    const still = this.#held?.get(c);
    if (still && still.size > 0 && !still.has(pos + 1)) {
      const next = Math.min(...still.keys());
      if (next > pos + 1) {
        this.#host.write(frame.gap(c, pos, 'not_delivered', next));
        this.#positionsMade().set(c, next - 1);
      }
    }
    this.#release(c);
  }
}
