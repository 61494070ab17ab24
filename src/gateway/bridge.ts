// Committed domain events → bus. Wired by the composition root on every node:
// each node publishes what it committed, and every node (itself included)
// hears it on the topics its sessions need. Nothing is published that was not
// committed first (core emits after commit).

import { randomBytes } from 'node:crypto';
import type { Bus } from '../core/bus.ts';
import type { Audience, DomainEvent, EventHub } from '../core/events.ts';
import type { EventTranslation } from './contract.ts';
import { encodeEnvelope, type Header, type Topics } from './envelope.ts';
import { frame } from './protocol.ts';

export function bridgeEvents(events: EventHub, bus: Bus, topics: Topics, translation: EventTranslation): () => void {
  // Event ids only need to be unique among what a session sees at once: a
  // per-process random prefix and a counter.
  const origin = randomBytes(4).toString('hex');
  let counter = 0;
  return events.on((event) => {
    const id = `${origin}${(counter++).toString(36)}`;

    if (event.type === 'token.revoked') {
      if (event.userId !== null) bus.publish(topics.user(event.userId), encodeEnvelope({ i: id, x: { t: 'revoke', token: event.tokenId } }, ''));
      return;
    }

    const membership = translation.membership(event);
    const control = () => {
      if (!membership) return;
      const envelope = encodeEnvelope({ i: `${id}m`, x: { t: 'member', g: membership.groupId, on: membership.joined, ...(membership.at !== undefined ? { at: membership.at } : {}) } }, '');
      if (membership.userIds === 'everyone') bus.publish(topics.group(membership.groupId), envelope);
      else for (const userId of membership.userIds) bus.publish(topics.user(userId), envelope);
    };
    // A join subscribes before the event travels; a leave unsubscribes after
    // it, so those concerned hear about it either way.
    if (membership?.joined) control();

    const audience = audienceOf(event);
    if (audience) {
      const targets: string[] = [];
      if (audience.groupId !== undefined) targets.push(topics.group(audience.groupId));
      for (const userId of new Set(audience.users ?? [])) targets.push(topics.user(userId));
      const heard = targets.filter((t) => bus.mayDeliver(t));
      // Nobody connected to hear it (one process, recipients offline): no need to encode it.
      if (heard.length > 0) {
        const message = translation.message(event);
        const later = translation.forLaterMembers(event);
        const header: Header = { i: id, ...(message ? { c: message.conversation, s: message.seq } : {}), ...(later ? { l: [later.conversation, later.joinedAfter] as [string, number] } : {}) };
        const frameOf = (e: DomainEvent) => {
          const m = e === event ? message : translation.message(e);
          return m ? frame.message(m.conversation, m.seq, m.message) : frame.event(publicEvent(e));
        };
        // Encoded once, whatever the number of topics and recipients (twice for a reply some members may not read the quote of).
        const payload = encodeEnvelope(header, frameOf(event), later ? frameOf(later.event) : undefined);
        for (const t of heard) bus.publish(t, payload);
      }
    }

    if (membership && !membership.joined) control();
  });
}

/**
 * Who hears an event: the audience core attached to it. A user's own profile
 * change goes to that user's other devices (core's foundation events predate
 * audiences).
 */
function audienceOf(event: DomainEvent): Audience | undefined {
  if ('audience' in event && event.audience) return event.audience as Audience;
  if (event.type === 'user.updated') return { users: [event.user.id] };
  return undefined;
}

/** The event as clients see it: without the routing fields (who hears it, and from when a quote is hidden). */
function publicEvent(event: DomainEvent): unknown {
  if (!('audience' in event) && !('quotedAt' in event)) return event;
  const { audience: _audience, quotedAt: _quotedAt, ...rest } = event as DomainEvent & { audience?: unknown; quotedAt?: unknown };
  return rest;
}
