// The hub: which local sessions want which topic. Pure bookkeeping, no I/O;
// bus-topics.ts turns "first session on a topic" into a bus subscription and
// "last session gone" into an unsubscription.

export class Hub<S> {
  readonly #byTopic = new Map<string, Set<S>>();

  /** True when `session` is the topic's first local subscriber. */
  join(topic: string, session: S): boolean {
    let set = this.#byTopic.get(topic);
    const first = !set;
    if (!set) {
      set = new Set();
      this.#byTopic.set(topic, set);
    }
    set.add(session);
    return first;
  }

  /** True when the topic has no local subscriber left. */
  leave(topic: string, session: S): boolean {
    const set = this.#byTopic.get(topic);
    if (!set || !set.delete(session)) return false;
    if (set.size > 0) return false;
    this.#byTopic.delete(topic);
    return true;
  }

  subscribers(topic: string): ReadonlySet<S> | undefined {
    return this.#byTopic.get(topic);
  }

  get topicCount(): number {
    return this.#byTopic.size;
  }
}
