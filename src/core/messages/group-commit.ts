// Group commit: sends that arrive together are written in one transaction,
// so the cost of a durable commit is shared instead of paid per message. The
// writer takes whatever queued while the previous batch was being written
// (plus what arrives within the current event-loop turn), so a lone send is
// not delayed and a burst becomes a few large transactions. A send's promise
// resolves only after its batch committed. If a batch fails, its sends are
// retried one per transaction, so one bad send fails alone and the valid
// others are still stored. Each batch's search index rows are written in
// its transaction, so an acknowledged send can be found at once, and so are
// its webhook deliveries (the outbox): a committed send is never lost to them.

import type { Repositories, Store } from '../ports.ts';
import type { AppendOutcome, Appendable } from './ports.ts';
import { documentsOf } from '../search/searchable.ts';
import type { DomainEvent } from '../events.ts';
import { noOutbox, type EventOutbox } from '../webhooks/outbox.ts';
import { toMessage } from './conversations.ts';
import { audienceOf, type Conversation } from './model.ts';

interface Pending {
  item: Appendable;
  conversation: Conversation | undefined;
  resolve: (o: AppendOutcome) => void;
  reject: (e: unknown) => void;
}

export interface GroupCommitStats {
  batches: number;
  messages: number;
  largestBatch: number;
}

export class GroupCommit {
  readonly #store: Store;
  readonly #maxBatch: number;
  readonly #outbox: EventOutbox;
  #queue: Pending[] = [];
  #running = false;
  readonly stats: GroupCommitStats = { batches: 0, messages: 0, largestBatch: 0 };

  constructor(store: Store, maxBatch = 1000, outbox: EventOutbox = noOutbox) {
    this.#store = store;
    this.#maxBatch = maxBatch;
    this.#outbox = outbox;
  }

  /** `conversation` is the item's own: its message.sent event enters the outbox with it (none without). */
  append(item: Appendable, conversation?: Conversation): Promise<AppendOutcome> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ item, conversation, resolve, reject });
      if (!this.#running) {
        this.#running = true;
        // Let the rest of this turn's sends join the first batch.
        setImmediate(() => void this.#drain());
      }
    });
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue.splice(0, this.#maxBatch);
        await this.#write(batch);
      }
    } finally {
      this.#running = false;
    }
  }

  async #write(batch: Pending[]): Promise<void> {
    this.stats.batches += 1;
    this.stats.messages += batch.length;
    this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
    try {
      const outcomes = await this.#store.transaction((tx) => this.#appendIndexed(tx, batch));
      batch.forEach((p, i) => p.resolve(outcomes[i]));
      return;
    } catch (e) {
      if (batch.length === 1) return batch[0].reject(e);
    }
    for (const p of batch) {
      try {
        const [outcome] = await this.#store.transaction((tx) => this.#appendIndexed(tx, [p]));
        p.resolve(outcome);
      } catch (e) {
        p.reject(e);
      }
    }
  }

  async #appendIndexed(tx: Repositories, batch: readonly Pending[]): Promise<AppendOutcome[]> {
    const outcomes = await tx.messages.append(batch.map((p) => p.item));
    const docs = documentsOf(outcomes);
    if (docs.length > 0) await tx.search.put(docs);
    const sent: DomainEvent[] = [];
    outcomes.forEach((o, i) => {
      const c = batch[i].conversation;
      if (c && !o.duplicate) sent.push({ type: 'message.sent', appId: c.appId, audience: audienceOf(c), message: toMessage(o.stored, c) });
    });
    await this.#outbox.record(tx, sent);
    return outcomes;
  }
}
