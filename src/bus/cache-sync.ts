// Keeps every process's caches in step. Each process caches the answer to
// "may this member send / read here" (core's gate cache) and the principal
// behind a bearer token (core's token cache), and drops an entry
// when an event of its own says the group changed or the token was revoked;
// this relay tells the other processes about those changes through the bus,
// and empties the caches when the bus says notifications may have been lost.
// Without it, a kick, a mute or a revocation made through one process would
// reach the others only when their cache entries expire.
//
// Failing closed both ways: when the bus is interrupted or one of this
// process's publishes fails, this process drops its caches (it may have missed
// someone's change), and it owes the others an "everything changed" notice
// (they may have missed one of its changes), announced with backoff until the
// broker takes it.

import { randomBytes } from 'node:crypto';
import { backoffDelay, type BackoffPolicy } from '../core/backoff.ts';
import type { Bus } from '../core/bus.ts';
import type { EventHub } from '../core/events.ts';
import { groupRulesChangedBy } from '../core/messages/gate-cache.ts';

export interface SharedCaches {
  /** A group's rules changed; without a group, any may have. */
  groupRulesChanged(groupId?: number): void;
  /** A token was revoked; without a token, any may have been. */
  tokenRevoked(tokenId?: number): void;
}

/** The topic the relay uses under a cluster's bus prefix. */
export const cacheTopic = (busPrefix: string) => `${busPrefix}.caches`;

/** Starts relaying; resolves (once subscribed) with the function that stops it. */
export async function relayCacheChanges(events: EventHub, bus: Bus, topic: string, caches: SharedCaches, retry: BackoffPolicy = noticeRetry): Promise<() => void> {
  // A single process hears its own events directly: nothing to relay.
  if (bus.scope === 'process') return () => {};
  const origin = randomBytes(6).toString('hex');
  // Payloads: `<origin> g <groupId or *>` and `<origin> t <tokenId or *>` (`*`: any may have changed).
  const unsubscribe = await bus.subscribe(topic, (payload) => {
    const [from, kind, which] = payload.split(' ');
    if (from === origin) return;
    const id = Number(which);
    const one = Number.isSafeInteger(id) && id > 0 ? id : undefined;
    if (kind === 'g') caches.groupRulesChanged(one);
    else if (kind === 't') caches.tokenRevoked(one);
  });
  const offEvents = announce(events, bus, topic, origin);
  const debt = new EverythingChangedNotice(bus, topic, origin, retry);
  const offInterrupted = bus.onInterrupted((cause) => {
    caches.groupRulesChanged();
    caches.tokenRevoked();
    if (cause.reason === 'publish_failed') debt.owe();
    else debt.payNow();
  });
  return () => {
    offEvents();
    offInterrupted();
    debt.stop();
    unsubscribe();
  };
}

/** How soon a notice the broker did not take is tried again. */
export const noticeRetry: BackoffPolicy = { baseMs: 250, capMs: 15_000 };

/**
 * "Every group's rules and every token may have changed": owed to the other
 * processes after a publish of this one failed, and sent until the broker
 * takes it (a reconnect sends it at once).
 */
class EverythingChangedNotice {
  readonly #bus: Bus;
  readonly #topic: string;
  readonly #origin: string;
  readonly #policy: BackoffPolicy;
  #owed = false;
  #retry = 0;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(bus: Bus, topic: string, origin: string, policy: BackoffPolicy) {
    this.#bus = bus;
    this.#topic = topic;
    this.#origin = origin;
    this.#policy = policy;
  }

  owe(): void {
    this.#owed = true;
    this.#schedule();
  }

  payNow(): void {
    if (!this.#owed) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#retry = 0;
    void this.#pay();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  #schedule(): void {
    if (this.#timer || this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#pay();
    }, backoffDelay(this.#policy, ++this.#retry));
    this.#timer.unref();
  }

  async #pay(): Promise<void> {
    if (!this.#owed || this.#stopped) return;
    this.#owed = false;
    // A failure is reported by the bus (and comes back here as publish_failed).
    const sent = (await this.#bus.publishConfirmed(this.#topic, `${this.#origin} g *`)) && (await this.#bus.publishConfirmed(this.#topic, `${this.#origin} t *`));
    if (sent) this.#retry = 0;
    else this.owe();
  }
}

/**
 * Announces this process's changes without listening to anyone else's (an
 * admin command that has no caches of its own). Returns the function that stops it.
 */
export function announceCacheChanges(events: EventHub, bus: Bus, busPrefix: string): () => void {
  return announce(events, bus, cacheTopic(busPrefix), randomBytes(6).toString('hex'));
}

function announce(events: EventHub, bus: Bus, topic: string, origin: string): () => void {
  return events.on((e) => {
    if (e.type === 'token.revoked') return bus.publish(topic, `${origin} t ${e.tokenId}`);
    const changed = groupRulesChangedBy(e);
    if (changed !== undefined) bus.publish(topic, `${origin} g ${changed === 'all' ? '*' : changed}`);
  });
}
