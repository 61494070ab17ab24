// The port core rules write events through, inside the transaction they
// already hold: an event enters the outbox with the change that caused it or
// not at all, so a crash between commit and delivery loses nothing. An app
// without a matching endpoint costs one cached lookup and writes nothing.

import type { Clock } from '../clock.ts';
import type { DomainEvent } from '../events.ts';
import type { IdGenerator } from '../ids.ts';
import type { Repositories } from '../ports.ts';
import type { WebhookDirectory } from './directory.ts';
import { routeOf, webhookEvent } from './event-types.ts';
import type { OutboxEntry } from './model.ts';

export interface EventOutbox {
  /** Enqueues the deliveries of `events` through `tx`, the transaction of the change that caused them. */
  record(tx: Repositories, events: readonly DomainEvent[]): Promise<void>;
}

/** For processes and tests that deliver no webhooks. */
export const noOutbox: EventOutbox = { record: async () => {} };

export class WebhookOutbox implements EventOutbox {
  readonly #directory: WebhookDirectory;
  readonly #ids: IdGenerator;
  readonly #clock: Clock;

  constructor(deps: { directory: WebhookDirectory; ids: IdGenerator; clock: Clock }) {
    this.#directory = deps.directory;
    this.#ids = deps.ids;
    this.#clock = deps.clock;
  }

  async record(tx: Repositories, events: readonly DomainEvent[]): Promise<void> {
    const entries: OutboxEntry[] = [];
    for (const e of events) {
      const route = routeOf(e);
      if (!route) continue;
      const hooks = await this.#directory.of(tx, e.appId);
      const endpoints = hooks.endpoints.filter((ep) => ep.categories.includes(route.category));
      if (endpoints.length === 0) continue;
      const id = this.#ids.next();
      const time = this.#clock.now();
      // One body for every endpoint and every attempt: a retry is byte-identical, recognisable by `id`.
      const payload = JSON.stringify({ id, type: e.type, time, appId: e.appId, event: webhookEvent(e) });
      for (const ep of endpoints) entries.push({ eventId: id, appId: e.appId, endpointId: ep.id, orderingKey: route.key, type: e.type, payload, createdAt: time });
    }
    if (entries.length > 0) await tx.webhooks.outbox.enqueue(entries);
  }
}
