// Last seen, written lazily: a user going offline is only noted in memory;
// every `flushMs` the notes made since the last flush go to the store in one
// statement (and on shutdown). A connect never writes, a disconnect never
// writes by itself, and a user who flaps between online and offline within
// one period costs one row in one batch. A crash loses at most one period of
// last-seen times: the price of not writing per disconnect.

import type { ReportBackgroundFailure } from '../background.ts';
import type { PresenceRepo } from './ports.ts';

const CHUNK = 1000;

export class LastSeenWriter {
  readonly #repo: () => PresenceRepo;
  readonly #report: ReportBackgroundFailure;
  #pending = new Map<number, number>();
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> | undefined;
  /** Statements written (tests and the benchmark count them). */
  readonly stats = { batches: 0, rows: 0 };

  constructor(repo: () => PresenceRepo, report: ReportBackgroundFailure, flushMs: number) {
    this.#repo = repo;
    this.#report = report;
    this.#timer = setInterval(() => void this.flush(), flushMs);
    this.#timer.unref();
  }

  note(userId: number, at: number): void {
    if ((this.#pending.get(userId) ?? 0) < at) this.#pending.set(userId, at);
  }

  /** Writes what is pending in one batch; resolves when written (a failure is reported and the batch kept for the next try). */
  flush(): Promise<void> {
    return (this.#flushing ??= this.#write().finally(() => (this.#flushing = undefined)));
  }

  async #write(): Promise<void> {
    if (this.#pending.size === 0) return;
    const batch = this.#pending;
    this.#pending = new Map();
    const entries = [...batch].map(([userId, at]) => ({ userId, at }));
    // Chunks keep a statement under every engine's bound on parameters.
    for (let i = 0; i < entries.length; i += CHUNK) {
      const chunk = entries.slice(i, i + CHUNK);
      try {
        await this.#repo().saveLastSeen(chunk);
        this.stats.batches++;
        this.stats.rows += chunk.length;
      } catch (error) {
        for (const e of chunk) this.note(e.userId, e.at);
        this.#report({ task: 'housekeeping', subject: { what: 'last seen', users: chunk.length }, error });
      }
    }
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.flush();
  }
}
