// Typing and presence signals (core/presence) → bus, as ephemeral envelopes:
// flagged so that sessions deliver them only live, never to the user they are
// about, and drop them first when the client is behind (outbound.ts). Each
// signal is encoded once, whatever the number of topics it goes to; one that
// reaches a session by two topics (a user topic and a group topic) is
// delivered once (the session de-duplicates by envelope id).
//
// Frames (docs/websocket.md):
//   {"type":"typing","conversation":"g:7","groupId":7,"userId":5,"active":true,"ttlMs":5000}
//   {"type":"typing","conversation":"p:5:9","userId":5,"active":false,"ttlMs":5000}
//   {"type":"presence","userId":5,"online":false,"lastSeenAt":1765000000000}

import { randomBytes } from 'node:crypto';
import type { Bus } from '../core/bus.ts';
import type { EphemeralOut, PresenceAudience, PresenceView, TypingSignal, TypingTarget } from '../core/presence/model.ts';
import { encodeEnvelope, type Topics } from './envelope.ts';

export class EphemeralPublisher implements EphemeralOut {
  readonly #bus: Bus;
  readonly #topics: Topics;
  readonly #origin = randomBytes(4).toString('hex');
  #counter = 0;

  constructor(bus: Bus, topics: Topics) {
    this.#bus = bus;
    this.#topics = topics;
  }

  typing(from: number, target: TypingTarget, signal: TypingSignal): void {
    const topic = 'groupId' in target ? this.#topics.group(target.groupId) : this.#topics.user(target.userId);
    if (!this.#bus.mayDeliver(topic)) return;
    const where = 'groupId' in target ? { conversation: `g:${target.groupId}`, groupId: target.groupId } : { conversation: `p:${Math.min(from, target.userId)}:${Math.max(from, target.userId)}` };
    this.#bus.publish(topic, this.#envelope(from, JSON.stringify({ type: 'typing', ...where, userId: signal.userId, active: signal.active, ttlMs: signal.ttlMs })));
  }

  presence(audience: PresenceAudience, view: PresenceView): void {
    const topics = [...audience.groupIds.map((g) => this.#topics.group(g)), ...audience.userIds.map((u) => this.#topics.user(u))].filter((t) => this.#bus.mayDeliver(t));
    if (topics.length === 0) return;
    const payload = this.#envelope(view.userId, JSON.stringify({ type: 'presence', ...view }));
    for (const t of topics) this.#bus.publish(t, payload);
  }

  #envelope(from: number, frame: string): string {
    return encodeEnvelope({ i: `${this.#origin}e${(this.#counter++).toString(36)}`, e: 1, f: from }, frame);
  }
}
