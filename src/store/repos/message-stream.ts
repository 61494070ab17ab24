// The sync stream's positions: the ONE place that hands them out and the one
// place that says how far a reader may read. Every message write (a send
// batch, a group notice, a revoke, and any later change that moves a message
// to a new position, like an edit) calls `take` inside its transaction; sync
// and a device's starting point read `safeHead` first and never read beyond
// it. The promise kept: a client that remembers the last position it saw
// never misses a change and never sees one twice.
//
// PostgreSQL, many writers at once. A single row lock held to commit would
// make every writer of every process wait for the one before it to commit.
// Instead (the shape of Synapse's multi-writer id generator, with the
// in-flight set kept in the database so every process sees it):
//   1. `take` claims positions in a tiny transaction of its own, on a side
//      pool: it advances `message_stream.last_pos` and inserts a claim row,
//      and commits both at once. The head's row lock is held only for that
//      statement, never across a write transaction. Claims commit in head
//      order, so a reader that sees the head also sees every claim below it.
//   2. Inside the write transaction it deletes its claim; the delete commits
//      with the write, so the positions become readable exactly when their
//      rows are. The deleted row stays locked until then.
//   3. A reader's watermark is read in one statement (one snapshot): the
//      lowest claim still standing, minus one, or the head when none stands.
//      Everything at or below it is committed (or was rolled back and will
//      never appear), so a reader that stops there skips nothing.
// A rolled-back write releases its claims at once (kysely-store.ts). A claim
// left by a process that died is reaped by the next reader once it is older
// than REAP_AFTER_MS and not locked by a live write; a write whose claim was
// reaped finds its delete matching nothing and fails (its sends are retried
// with new positions), so a reaped position is never written.
//
// SQLite has one writer at a time: `take` advances the head inside the write
// transaction (commit order is position order) and the head is the watermark.

import { sql, type Kysely } from 'kysely';
import type { Engine } from '../engine.ts';
import type { Database } from '../schema.ts';
import { runPrepared } from '../prepared.ts';

/** A claim this old with no live write holding it belongs to a writer that died. */
export const REAP_AFTER_MS = 5000;

/** The database's clock in ms, so processes on different hosts agree on a claim's age. */
const DB_NOW_MS = sql<number>`(extract(epoch from clock_timestamp()) * 1000)::bigint`;

/** Claims taken by one transaction, released if it rolls back. */
export type ClaimLedger = number[];

export interface StreamPositions {
  /**
   * `count` fresh, consecutive positions for a write in this transaction;
   * returns the first. The only way to get a stream position. Positions a
   * write ends up not using leave gaps, which readers pass over.
   */
  take(count: number): Promise<number>;
  /** Every change at or below this position is committed: readers never read beyond it. */
  safeHead(): Promise<number>;
}

/**
 * The stream over `db` (the pool, or a transaction: `ledger` is given only
 * inside `Store.transaction`).
 */
export function streamPositions(db: Kysely<Database>, engine: Engine, ledger?: ClaimLedger): StreamPositions {
  const requireTransaction = () => {
    if (!ledger) throw new Error('stream positions are taken inside Store.transaction only');
  };
  if (engine.name !== 'postgres') {
    return {
      async take(count) {
        requireTransaction();
        const r = await runPrepared<{ last_pos: number }>(
          db,
          'advance message stream',
          (q, n, id) => q.updateTable('message_stream').set((eb) => ({ last_pos: eb('last_pos', '+', n) })).where('id', '=', id).returning('last_pos'),
          [count, 1],
        );
        if (!r.rows[0]) throw new Error('the message stream row is missing');
        return Number(r.rows[0].last_pos) - count + 1;
      },
      async safeHead() {
        const r = await db.selectFrom('message_stream').select('last_pos').where('id', '=', 1).executeTakeFirst();
        return Number(r?.last_pos ?? 0);
      },
    };
  }

  const side = engine.sideDb ?? engine.db;
  return {
    async take(count) {
      requireTransaction();
      if (!Number.isSafeInteger(count) || count < 1) throw new Error(`cannot take ${count} stream positions`);
      // The claim needs no flush of its own: the write that uses it commits
      // after it, and flushing that commit flushes the claim's too.
      const claimed = await sql<{ pos_from: number }>`
        with durability as (select set_config('synchronous_commit', 'off', true)),
        head as (update message_stream set last_pos = last_pos + ${count}::bigint where id = 1 returning last_pos)
        insert into message_stream_claims (pos_from, pos_to, claimed_at)
        select head.last_pos - ${count}::bigint + 1, head.last_pos, ${DB_NOW_MS} from head, durability
        returning pos_from`.execute(side);
      const first = claimed.rows[0]?.pos_from;
      if (first === undefined) throw new Error('the message stream row is missing');
      (ledger as ClaimLedger).push(Number(first));
      const released = await runPrepared(db, 'settle stream claim', (q, from) => q.deleteFrom('message_stream_claims').where('pos_from', '=', from), [Number(first)]);
      if (Number(released.numAffectedRows ?? 0n) !== 1) throw new Error(`stream claim ${first} was reaped before its write began; the write is retried with new positions`);
      return Number(first);
    },
    async safeHead() {
      for (let attempt = 0; ; attempt++) {
        const r = await sql<{ head: number; low: number | null; oldest: number | null; now: number }>`
          select s.last_pos as head, c.low, c.oldest, ${DB_NOW_MS} as now
          from message_stream s,
            (select min(pos_from) as low, min(claimed_at) as oldest from message_stream_claims) c
          where s.id = 1`.execute(db);
        const row = r.rows[0];
        if (!row) return 0;
        if (row.low === null) return Number(row.head);
        if (attempt === 0 && row.oldest !== null && Number(row.now) - Number(row.oldest) > REAP_AFTER_MS && (await reapAbandoned(db)) > 0) continue;
        return Number(row.low) - 1;
      }
    },
  };
}

/** Deletes claims older than REAP_AFTER_MS that no live write holds (SKIP LOCKED); returns how many. */
async function reapAbandoned(db: Kysely<Database>): Promise<number> {
  const r = await sql`
    delete from message_stream_claims where pos_from in (
      select pos_from from message_stream_claims where claimed_at < ${DB_NOW_MS} - ${REAP_AFTER_MS}::bigint for update skip locked)`.execute(db);
  return Number(r.numAffectedRows ?? 0n);
}

/** A transaction that took claims rolled back: nothing was written at them, so readers need not wait for them. */
export async function releaseClaims(engine: Engine, ledger: ClaimLedger): Promise<void> {
  if (engine.name !== 'postgres' || ledger.length === 0) return;
  await (engine.sideDb ?? engine.db).deleteFrom('message_stream_claims').where('pos_from', 'in', ledger).execute();
}
