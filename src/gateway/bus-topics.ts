// A socket server's link to the bus: one subscription per topic for as long
// as some local session needs it, each arrival decoded once whatever the
// number of sessions. Shared by the native gateway's node (node.ts) and the
// dtalk socket (src/http/dtalk/socket/gateway.ts): both hear the envelopes
// the bridge publishes once per committed event (bridge.ts), so what is
// committed on any Parley process reaches sockets on every process.
// Plumbing only: what an arrival means is the caller's business.

import type { Bus } from '../core/bus.ts';
import { decodeEnvelope, Topics, type Delivery } from './envelope.ts';
import { Hub } from './hub.ts';
import { add, has, members, remove, type OneOrMore } from './one-or-more.ts';

/** An envelope decoded once, with the sessions subscribed to its topic when it arrived. */
export type Arrival<S> = (topic: string, d: Delivery, sessions: readonly S[]) => void;

export class BusTopics<S extends object> {
  readonly names: Topics;
  readonly #bus: Bus;
  readonly #hub = new Hub<S>();
  readonly #subs = new Map<string, Promise<() => void>>();
  /** The topics each session holds: most hold one (their user's). */
  readonly #held = new Map<S, OneOrMore<string>>();
  readonly #arrival: Arrival<S>;
  readonly #undecodable: ((topic: string, payload: string) => void) | undefined;
  /** One handler for every topic (the bus names the topic): no closure per topic, that is per connected user. */
  readonly #onPayload = (payload: string, topic: string): void => this.#fromBus(topic, payload);

  /** `undecodable` hears a payload on one of our topics that is not an envelope (a bug, or a stranger on the broker). */
  constructor(bus: Bus, prefix: string, arrival: Arrival<S>, undecodable?: (topic: string, payload: string) => void) {
    this.#bus = bus;
    this.names = new Topics(prefix);
    this.#arrival = arrival;
    this.#undecodable = undecodable;
  }

  /** Subscribes `session` to `topic` (the bus too, if it is the topic's first local session); resolves when live. */
  async attach(session: S, topic: string): Promise<void> {
    const held = this.#held.get(session);
    if (has(held, topic)) return this.#subs.get(topic)?.then(() => {});
    this.#held.set(session, add(held, topic));
    if (this.#hub.join(topic, session)) {
      const sub = this.#bus.subscribe(topic, this.#onPayload);
      this.#subs.set(topic, sub);
      sub.catch(() => this.#subs.get(topic) === sub && this.#subs.delete(topic));
    }
    await this.#subs.get(topic);
  }

  /** Drops `topic` for `session`, and the bus subscription with its last local session. */
  detach(session: S, topic: string): void {
    const held = this.#held.get(session);
    if (!has(held, topic)) return;
    const left = remove(held, topic);
    if (left === undefined) this.#held.delete(session);
    else this.#held.set(session, left);
    if (!this.#hub.leave(topic, session)) return;
    const sub = this.#subs.get(topic);
    this.#subs.delete(topic);
    sub?.then((end) => end(), () => {});
  }

  detachAll(session: S): void {
    for (const topic of members(this.#held.get(session))) this.detach(session, topic);
  }

  has(session: S, topic: string): boolean {
    return has(this.#held.get(session), topic);
  }

  get topicCount(): number {
    return this.#hub.topicCount;
  }

  #fromBus(topic: string, payload: string): void {
    const subscribers = this.#hub.subscribers(topic);
    if (subscribers.length === 0) return;
    const d = decodeEnvelope(payload); // once per arrival, whatever the number of sessions
    if (d) this.#arrival(topic, d, subscribers);
    else this.#undecodable?.(topic, payload);
  }

  async close(): Promise<void> {
    const subs = [...this.#subs.values()];
    this.#subs.clear();
    this.#held.clear();
    await Promise.allSettled(subs.map(async (p) => (await p)()));
  }
}
