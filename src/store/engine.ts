import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/**
 * One SQL engine behind Kysely. Repositories are written once against this;
 * an engine declares what it supports instead of callers checking its name.
 */
export interface Engine {
  readonly name: 'sqlite' | 'postgres';
  readonly db: Kysely<Database>;
  /** `SELECT … FOR UPDATE` is available (PostgreSQL); SQLite serialises writers instead. */
  readonly supportsRowLocks: boolean;
  /**
   * A second, small pool for short statements that commit on their own while
   * a transaction of the main pool waits on them (stream claims): they never
   * wait for a main-pool slot that a waiting transaction holds. PostgreSQL only.
   */
  readonly sideDb?: Kysely<Database>;
  /** Throws when the engine refuses writes (SQLite after a failed log flush): the store is then not ready. */
  assertWritable?(): void;
  /** The schema the migration bookkeeping tables live in, when the engine has schemas. */
  currentSchema(): Promise<string | undefined>;
  /**
   * Runs a one-off burst of writes (the migrations) that is not the server's
   * traffic: the engine must not size itself for it (SQLite: the checkpoint
   * worker stays stopped, and the log is checkpointed once after).
   */
  bulkWrite<T>(work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
