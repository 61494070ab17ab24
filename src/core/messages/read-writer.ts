// Coalesced read positions. When a 10,000-member group reads the latest
// message within the same second, each reader still costs one position, but
// the positions that arrive together are written in one statement (one
// upsert over many rows) instead of one round trip each: the first report
// waits for the rest of the event-loop turn, the ones that arrive while a
// batch is being written form the next batch. Nothing is acknowledged
// before it is stored: a caller's promise resolves after its batch is
// committed, so read positions stay as durable as before, without an
// added timer delay. Two reports of one reader in a batch are one row (the
// furthest wins; positions only move forward).

import type { Store } from '../ports.ts';
import type { ReadAdvance } from './ports.ts';

interface Waiter {
  resolve: (r: { stored: number; moved: boolean }) => void;
  reject: (e: unknown) => void;
}

export interface ReadWriterStats {
  batches: number;
  positions: number;
  largestBatch: number;
}

export class ReadPositionWriter {
  readonly #store: Store;
  readonly #maxBatch: number;
  #pending = new Map<string, { item: ReadAdvance; waiters: Waiter[] }>();
  #running = false;
  readonly stats: ReadWriterStats = { batches: 0, positions: 0, largestBatch: 0 };

  constructor(store: Store, maxBatch = 1000) {
    this.#store = store;
    this.#maxBatch = maxBatch;
  }

  /** Moves a reader forward (never back); resolves once stored with the position now stored and whether it moved. */
  advance(item: ReadAdvance): Promise<{ stored: number; moved: boolean }> {
    return new Promise((resolve, reject) => {
      const key = `${item.conversationId}:${item.userId}`;
      const p = this.#pending.get(key);
      if (p) {
        if (item.seq > p.item.seq) p.item = item;
        p.waiters.push({ resolve, reject });
      } else this.#pending.set(key, { item, waiters: [{ resolve, reject }] });
      if (!this.#running) {
        this.#running = true;
        setImmediate(() => void this.#drain());
      }
    });
  }

  async #drain(): Promise<void> {
    try {
      while (this.#pending.size > 0) {
        const batch = [...this.#pending.values()].slice(0, this.#maxBatch);
        for (const b of batch) this.#pending.delete(`${b.item.conversationId}:${b.item.userId}`);
        await this.#write(batch);
      }
    } finally {
      this.#running = false;
    }
  }

  async #write(batch: { item: ReadAdvance; waiters: Waiter[] }[]): Promise<void> {
    this.stats.batches += 1;
    this.stats.positions += batch.length;
    this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
    try {
      const results = await this.#store.readPositions.advanceBatch(batch.map((b) => b.item));
      batch.forEach((b, i) => b.waiters.forEach((w) => w.resolve(results[i])));
    } catch (e) {
      // One statement: it failed as a whole, so every report in it fails (the caller retries; nothing half-applied).
      for (const b of batch) for (const w of b.waiters) w.reject(e);
    }
  }
}
