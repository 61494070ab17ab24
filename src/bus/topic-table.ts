// What every bus variant shares: many local handlers per topic over one broker
// subscription per topic. The variant only says how to subscribe a topic at
// the broker and how to drop it; this table counts the local handlers.

import type { ReportBackgroundFailure } from '../core/background.ts';
import type { BusHandler, Interruption } from '../core/bus.ts';

export interface BrokerSubscriptions {
  /** Resolves when the broker delivers the topic to this process. */
  add(topic: string): Promise<void>;
  remove(topic: string): void;
}

interface Entry {
  /**
   * In subscription order; the same handler twice is two subscriptions. An
   * array, not a Set: a gateway holds one subscription per topic (its
   * sessions share it), and a topic per connected user, so most entries have
   * one handler, and an idle connection should cost as little as can be.
   */
  handlers: BusHandler[];
  /** The broker subscription, shared by every handler of the topic; dropped once it is live. */
  ready: Promise<void> | undefined;
}

export class TopicTable {
  readonly #topics = new Map<string, Entry>();
  readonly #broker: BrokerSubscriptions;
  readonly #report: ReportBackgroundFailure;

  constructor(broker: BrokerSubscriptions, report: ReportBackgroundFailure) {
    this.#broker = broker;
    this.#report = report;
  }

  async subscribe(topic: string, handler: BusHandler): Promise<() => void> {
    let entry = this.#topics.get(topic);
    if (entry) entry.handlers.push(handler);
    else {
      // Made with its first handler: an array grown from [] by a push reserves 17 slots.
      const created: Entry = { handlers: [handler], ready: this.#broker.add(topic) };
      created.ready!.then(
        () => (created.ready = undefined),
        () => {},
      );
      this.#topics.set(topic, (entry = created));
    }
    try {
      await entry.ready;
    } catch (e) {
      this.#drop(topic, entry, handler);
      throw e;
    }
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.#drop(topic, entry, handler);
    };
  }

  #drop(topic: string, entry: Entry, handler: BusHandler): void {
    const at = entry.handlers.lastIndexOf(handler);
    if (at >= 0) entry.handlers.splice(at, 1);
    if (entry.handlers.length === 0 && this.#topics.get(topic) === entry) {
      this.#topics.delete(topic);
      this.#broker.remove(topic);
    }
  }

  /** Delivers one payload to the topic's handlers; one failing handler does not stop the others. */
  dispatch(topic: string, payload: string): void {
    const entry = this.#topics.get(topic);
    if (!entry) return;
    // A copy when several: a handler may unsubscribe (itself or another) while they run.
    const handlers = entry.handlers.length === 1 ? entry.handlers : [...entry.handlers];
    for (const h of handlers) {
      try {
        h(payload, topic);
      } catch (error) {
        // A subscriber's failure is its own (the others still hear the payload), but it is said.
        this.#report({ task: 'bus_handler', subject: { topic }, error });
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

/**
 * Listeners of `onInterrupted`, and when to call them, shared by the
 * variants: on a reconnection, and on the first publish of a run of failed
 * ones (each failure is reported; the listeners hear the run once).
 */
export class Interruptions {
  readonly #listeners = new Set<(cause: Interruption) => void>();
  readonly #report: ReportBackgroundFailure;
  #publishFailing = false;

  constructor(report: ReportBackgroundFailure) {
    this.#report = report;
  }

  on(listener: (cause: Interruption) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** A publish the broker took: a later failure starts a new run. */
  published(): void {
    this.#publishFailing = false;
  }

  /** A publish the broker did not take (`bus` names the variant in the report). */
  publishFailed(bus: string, topic: string, error: unknown): void {
    this.#report({ task: 'bus_publish', subject: { topic, bus }, error });
    if (this.#publishFailing) return;
    this.#publishFailing = true;
    this.fire({ reason: 'publish_failed', topic });
  }

  /** The connection came back: what was published meanwhile may be lost. */
  reconnected(): void {
    this.#publishFailing = false;
    this.fire({ reason: 'reconnected' });
  }

  fire(cause: Interruption): void {
    for (const l of this.#listeners) {
      try {
        l(cause);
      } catch (error) {
        // One listener's failure must not hide the interruption from the others.
        this.#report({ task: 'bus_handler', subject: { interruption: cause.reason }, error });
      }
    }
  }
}
