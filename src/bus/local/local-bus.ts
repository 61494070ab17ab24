// The in-process bus (the default): one node, no broker. Delivery is
// asynchronous (a microtask after publish) like a real broker's, so a
// publisher never runs its subscribers inside its own call stack.

import type { ReportBackgroundFailure } from '../../core/background.ts';
import type { Bus, BusHandler, Interruption } from '../../core/bus.ts';
import { Interruptions, TopicTable } from '../topic-table.ts';

export class LocalBus implements Bus {
  readonly scope = 'process' as const;
  readonly #table: TopicTable;
  // Never fires: nothing sits between publisher and subscriber that could drop.
  readonly #interruptions: Interruptions;
  #closed = false;

  constructor(report: ReportBackgroundFailure) {
    this.#table = new TopicTable({ add: async () => {}, remove: () => {} }, report);
    this.#interruptions = new Interruptions(report);
  }

  mayDeliver(topic: string): boolean {
    return this.#table.has(topic);
  }

  publish(topic: string, payload: string): void {
    if (this.#closed) return;
    queueMicrotask(() => this.#table.dispatch(topic, payload));
  }

  async publishConfirmed(topic: string, payload: string): Promise<boolean> {
    this.publish(topic, payload);
    return !this.#closed;
  }

  subscribe(topic: string, handler: BusHandler): Promise<() => void> {
    return this.#table.subscribe(topic, handler);
  }

  onInterrupted(listener: (cause: Interruption) => void): () => void {
    return this.#interruptions.on(listener);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#table.clear();
  }
}

export async function openLocalBus(report: ReportBackgroundFailure): Promise<Bus> {
  return new LocalBus(report);
}
