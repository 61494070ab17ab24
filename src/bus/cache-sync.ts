// Keeps every process's caches in step. Each process caches the answer to
// "may this member send / read here" (core's gate cache) and the principal
// behind a bearer token (core's token cache), and drops an entry
// when an event of its own says the group changed or the token was revoked;
// this relay tells the other processes about those changes through the bus,
// and empties the caches when the bus says notifications may have been lost.
// Without it, a kick, a mute or a revocation made through one process would
// reach the others only when their cache entries expire.

import { randomBytes } from 'node:crypto';
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
export async function relayCacheChanges(events: EventHub, bus: Bus, topic: string, caches: SharedCaches): Promise<() => void> {
  // A single process hears its own events directly: nothing to relay.
  if (bus.scope === 'process') return () => {};
  const origin = randomBytes(6).toString('hex');
  // Payloads: `<origin> g <groupId or *>` and `<origin> t <tokenId>`.
  const unsubscribe = await bus.subscribe(topic, (payload) => {
    const [from, kind, which] = payload.split(' ');
    if (from === origin) return;
    const id = Number(which);
    const one = Number.isSafeInteger(id) && id > 0 ? id : undefined;
    if (kind === 'g') caches.groupRulesChanged(one);
    else if (kind === 't') caches.tokenRevoked(one);
  });
  const offEvents = announce(events, bus, topic, origin);
  const offInterrupted = bus.onInterrupted(() => {
    caches.groupRulesChanged();
    caches.tokenRevoked();
  });
  return () => {
    offEvents();
    offInterrupted();
    unsubscribe();
  };
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
