// Kysely's SQLite driver with commits that are durable without an fsync on
// the event loop: after every statement that ends a write outside a
// transaction (a transaction's COMMIT, or a write that committed by itself)
// the statement's promise waits for the log flush (log-flush.ts), run on the
// thread pool. The connection stays held meanwhile (Kysely releases it after
// the statement or transaction returns): nothing in this process reads a
// commit before it is on disk, as under synchronous=FULL, while the event
// loop serves sockets, timers and other work. One connection means one
// commit per flush; message sends already share commits (group commit).

import { RawNode, SelectQueryNode, type CompiledQuery, type DatabaseConnection, type Driver, type QueryCompiler, type QueryResult, type SqliteDialectConfig, type TransactionSettings } from 'kysely';
import { FifoSqliteDialect } from './fifo-dialect.ts';
import type { LogFlush } from './log-flush.ts';

/** What the driver must know of the connection to tell a commit (sqlite-database.ts). */
export interface CommitProbe {
  /** Inside BEGIN … COMMIT: a statement's writes are not committed yet. */
  inTransaction(): boolean;
  /** Rows changed by this connection since it opened: unchanged means nothing to flush. */
  totalChanges(): number;
}

// Over the FIFO dialect: its driver queues for the connection, this one flushes while holding it.
export class DurableSqliteDialect extends FifoSqliteDialect {
  readonly #probe: CommitProbe;
  readonly #log: LogFlush;

  constructor(config: SqliteDialectConfig, probe: CommitProbe, log: LogFlush) {
    super(config);
    this.#probe = probe;
    this.#log = log;
  }

  override createDriver(): Driver {
    return new DurableDriver(super.createDriver(), this.#probe, this.#log);
  }
}

/** A select writes nothing; anything else may start or end a write (BEGIN, COMMIT, DDL, raw SQL). */
function writesNothing(query: CompiledQuery): boolean {
  return SelectQueryNode.is(query.query) || (RawNode.is(query.query) && /^\s*select\b/i.test(query.sql));
}

class DurableDriver implements Driver {
  readonly #inner: Driver;
  readonly #probe: CommitProbe;
  readonly #log: LogFlush;
  readonly #connections = new WeakMap<DatabaseConnection, DatabaseConnection>();
  /** totalChanges() when the last flush was asked for. */
  #flushedAt = 0;

  constructor(inner: Driver, probe: CommitProbe, log: LogFlush) {
    this.#inner = inner;
    this.#probe = probe;
    this.#log = log;
  }

  async init(): Promise<void> {
    await this.#inner.init();
    this.#flushedAt = this.#probe.totalChanges();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const inner = await this.#inner.acquireConnection();
    let wrapped = this.#connections.get(inner);
    if (!wrapped) {
      wrapped = this.#durable(inner);
      this.#connections.set(inner, wrapped);
    }
    return wrapped;
  }

  #durable(inner: DatabaseConnection): DatabaseConnection {
    return {
      executeQuery: async <R>(query: CompiledQuery): Promise<QueryResult<R>> => {
        const select = writesNothing(query);
        // After a failed flush no new write starts (a transaction under way may still end).
        if (!select && !this.#probe.inTransaction()) this.#log.assertWritable();
        const result = await inner.executeQuery<R>(query);
        if (!select) await this.#afterWrite();
        return result;
      },
      streamQuery: <R>(query: CompiledQuery, chunkSize: number) => inner.streamQuery<R>(query, chunkSize),
    };
  }

  async #afterWrite(): Promise<void> {
    if (this.#probe.inTransaction()) return;
    const changes = this.#probe.totalChanges();
    if (changes === this.#flushedAt) return;
    this.#flushedAt = changes;
    await this.#log.flush();
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.#inner.beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#inner.commitTransaction(connection);
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    // A COMMIT whose flush failed has committed: there is nothing to roll back,
    // and the flush's error is the one the caller must see.
    if (!this.#probe.inTransaction()) return;
    await this.#inner.rollbackTransaction(connection);
  }

  async savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    await this.#inner.savepoint?.(connection, name, compile);
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    await this.#inner.rollbackToSavepoint?.(connection, name, compile);
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    await this.#inner.releaseSavepoint?.(connection, name, compile);
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.#inner.releaseConnection(connection);
  }

  async destroy(): Promise<void> {
    await this.#inner.destroy();
    await this.#log.close();
  }
}
