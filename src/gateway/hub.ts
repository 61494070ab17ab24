// The hub: which local sessions want which topic. Pure bookkeeping, no I/O;
// bus-topics.ts turns "first session on a topic" into a bus subscription and
// "last session gone" into an unsubscription.

import { add, has, members, remove, type OneOrMore } from './one-or-more.ts';

/** S: a session object (never a Set). */
export class Hub<S extends object> {
  readonly #byTopic = new Map<string, OneOrMore<S>>();

  /** True when `session` is the topic's first local subscriber. */
  join(topic: string, session: S): boolean {
    const held = this.#byTopic.get(topic);
    this.#byTopic.set(topic, add(held, session));
    return held === undefined;
  }

  /** True when the topic has no local subscriber left. */
  leave(topic: string, session: S): boolean {
    const held = this.#byTopic.get(topic);
    if (!has(held, session)) return false;
    const left = remove(held, session);
    if (left !== undefined) {
      this.#byTopic.set(topic, left);
      return false;
    }
    this.#byTopic.delete(topic);
    return true;
  }

  /** The topic's local subscribers, as a new array (empty when none). */
  subscribers(topic: string): S[] {
    return members(this.#byTopic.get(topic));
  }

  get topicCount(): number {
    return this.#byTopic.size;
  }
}
