// What every bus variant shares: many local handlers per topic over one broker
// subscription per topic. The variant only says how to subscribe a topic at
// the broker and how to drop it; this table counts the local handlers.

import type { BusHandler } from '../core/bus.ts';

export interface BrokerSubscriptions {
  /** Resolves when the broker delivers the topic to this process. */
  add(topic: string): Promise<void>;
  remove(topic: string): void;
}

interface Entry {
  handlers: Set<BusHandler>;
  /** The broker subscription, shared by every handler of the topic. */
  ready: Promise<void>;
}

export class TopicTable {
  readonly #topics = new Map<string, Entry>();
  readonly #broker: BrokerSubscriptions;

  constructor(broker: BrokerSubscriptions) {
    this.#broker = broker;
  }

  async subscribe(topic: string, handler: BusHandler): Promise<() => void> {
    let entry = this.#topics.get(topic);
    if (!entry) {
      entry = { handlers: new Set(), ready: this.#broker.add(topic) };
      this.#topics.set(topic, entry);
    }
    const wrapped: BusHandler = (p) => handler(p);
    entry.handlers.add(wrapped);
    try {
      await entry.ready;
    } catch (e) {
      this.#drop(topic, entry, wrapped);
      throw e;
    }
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.#drop(topic, entry, wrapped);
    };
  }

  #drop(topic: string, entry: Entry, handler: BusHandler): void {
    entry.handlers.delete(handler);
    if (entry.handlers.size === 0 && this.#topics.get(topic) === entry) {
      this.#topics.delete(topic);
      this.#broker.remove(topic);
    }
  }

  /** Delivers one payload to the topic's handlers; one failing handler does not stop the others. */
  dispatch(topic: string, payload: string): void {
    const entry = this.#topics.get(topic);
    if (!entry) return;
    for (const h of entry.handlers) {
      try {
        h(payload);
      } catch {
        // at-most-once: a subscriber's failure is its own
      }
    }
  }

  has(topic: string): boolean {
    return this.#topics.has(topic);
  }

  topics(): string[] {
    return [...this.#topics.keys()];
  }

  clear(): void {
    this.#topics.clear();
  }
}

/** Listeners of `onInterrupted`, shared by the variants. */
export class Interruptions {
  readonly #listeners = new Set<() => void>();
  on(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  fire(): void {
    for (const l of this.#listeners) {
      try {
        l();
      } catch {
        // one listener's failure must not hide the interruption from others
      }
    }
  }
}
