// Kysely's SQLite dialect with the one connection handed to waiting queries
// in arrival order, one wake-up per hand-over. Kysely's own lock for
// single-connection dialects (its ConnectionMutex) wakes every waiter on each
// release and all but one go back to waiting, so N queued queries cost O(N²)
// wake-ups on the event loop: 10,000 sockets closing at once (each reading a
// little for presence) queued ~40,000 queries and held the loop for over a
// minute, stalling every other socket's deliveries. The adapter reports
// "several connections" only so that Kysely leaves the locking to this
// driver; there is still exactly one, and a transaction holds it until it ends.

import { SqliteAdapter, SqliteDialect, SqliteDriver, type DatabaseConnection, type DialectAdapter, type Driver, type SqliteDialectConfig } from 'kysely';

/** Queries waiting for the connection, oldest first (a ring: no shifting a long array). */
class Waiters {
  #items: (() => void)[] = [];
  #head = 0;

  push(wake: () => void): void {
    this.#items.push(wake);
  }

  shift(): (() => void) | undefined {
    if (this.#head === this.#items.length) return undefined;
    const wake = this.#items[this.#head++];
    // Compact once the consumed prefix is most of the array.
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return wake;
  }
}

class FifoSqliteDriver extends SqliteDriver {
  #busy = false;
  readonly #waiting = new Waiters();

  override async acquireConnection(): Promise<DatabaseConnection> {
    // Taken at once when free; otherwise the releasing query hands it over (busy stays set).
    if (this.#busy) await new Promise<void>((wake) => this.#waiting.push(wake));
    else this.#busy = true;
    return super.acquireConnection();
  }

  override async releaseConnection(): Promise<void> {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#busy = false;
  }
}

class OwnLockAdapter extends SqliteAdapter {
  override get supportsMultipleConnections(): boolean {
    return true;
  }
}

export class FifoSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new FifoSqliteDriver(this.#config);
  }

  override createAdapter(): DialectAdapter {
    return new OwnLockAdapter();
  }
}
