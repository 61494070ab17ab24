// Keeps every process's cached group rules in step. Each process caches the
// answer to "may this member send / read here" (core's gate cache) and drops
// it when a group event of its own says the group changed; this relay tells
// the other processes about those changes through the bus, and drops every
// cached answer when the bus says notifications may have been lost. Without
// it, a kick or a mute made through one process would reach the others only
// when their cache entries expire.

import { randomBytes } from 'node:crypto';
import type { Bus } from '../core/bus.ts';
import type { EventHub } from '../core/events.ts';
import { groupRulesChangedBy } from '../core/messages/gate-cache.ts';

export interface GroupRuleCache {
  groupRulesChanged(groupId?: number): void;
}

/** Starts relaying; resolves (once subscribed) with the function that stops it. */
export async function relayGroupChanges(events: EventHub, bus: Bus, topic: string, cache: GroupRuleCache): Promise<() => void> {
  // A single process hears its own events directly: nothing to relay.
  if (bus.scope === 'process') return () => {};
  const origin = randomBytes(6).toString('hex');
  const unsubscribe = await bus.subscribe(topic, (payload) => {
    const [from, group] = payload.split(' ');
    if (from === origin) return;
    const groupId = Number(group);
    cache.groupRulesChanged(group === '*' || !Number.isSafeInteger(groupId) ? undefined : groupId);
  });
  const offEvents = events.on((e) => {
    const changed = groupRulesChangedBy(e);
    if (changed !== undefined) bus.publish(topic, `${origin} ${changed === 'all' ? '*' : changed}`);
  });
  const offInterrupted = bus.onInterrupted(() => cache.groupRulesChanged());
  return () => {
    offEvents();
    offInterrupted();
    unsubscribe();
  };
}
