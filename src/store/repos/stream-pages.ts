// One page of sync: the first (or, `desc`, last) `limit` changes of a set of
// conversations within a stream range, in stream order. A page must cost
// about its own size, not the history after it: a device paging a long
// history from 0 would otherwise pay for all of it on every page.
//
// SQLite: one `conversation_id in (…) order by pos limit n` over the
// (conversation_id, pos) index. SQLite walks each conversation's range in
// pos order and, once the sorter holds `n` rows, leaves a range at its first
// row past the sorter's worst (its IN + ORDER BY LIMIT early exit): measured
// on 200 conversations × 500 changes, the page costs the same from position
// 0 as near the end (bench/stream/README.md, "Sync of a long history").
//
// PostgreSQL has no such exit: the same statement read every change after
// the position (a bitmap scan, then a top-N sort). Here each conversation's
// range is read through a LATERAL capped at `k` rows (k·conversations ≈ 2n,
// k ≥ 2). The merged rows are exact up to the earliest k-th row of a capped
// conversation: a conversation under the cap returned all its rows in the
// range, a capped one all of its rows up to its k-th. When that prefix is
// shorter than the page, the next read starts after it, with the capped
// conversations and those with rows past the prefix (the others have nothing
// more in range) and a larger cap. A page thus reads about 2n rows, or k per
// conversation when there are more than n; a burst in a few conversations
// takes a few reads (the cap doubles). Positions are unique across messages,
// so the merge has no ties.

import { CompiledQuery, type Kysely, type Selectable } from 'kysely';
import type { MessageRecord } from '../../core/messages/ports.ts';
import type { Database } from '../schema.ts';
import type { MessagesTable } from '../tables/messages.ts';
import type { Engine } from '../engine.ts';

export type StreamPageReader = (conversationIds: readonly number[], pos: number, upTo: number, limit: number, order: 'asc' | 'desc') => Promise<Selectable<MessagesTable>[]>;

export function streamPageReader(db: Kysely<Database>, engine: Engine): StreamPageReader {
  return engine.name === 'postgres' ? cappedMerge(db) : inList(db);
}

function inList(db: Kysely<Database>): StreamPageReader {
  return (conversationIds, pos, upTo, limit, order) =>
    db
      .selectFrom('messages')
      .selectAll()
      .where('conversation_id', 'in', [...conversationIds])
      .where('pos', '>', pos)
      .where('pos', '<=', upTo)
      .orderBy('pos', order)
      .limit(limit)
      .execute();
}

/** $1 conversations, $2 < pos ≤ $3, at most $4 rows of each; merged in the direction's order. */
const lateralText = (order: 'asc' | 'desc') =>
  `select m.* from unnest($1::bigint[]) as c(id) cross join lateral ` +
  `(select * from messages where conversation_id = c.id and pos > $2 and pos <= $3 order by pos ${order} limit $4) m order by m.pos ${order}`;
const LATERAL = { asc: lateralText('asc'), desc: lateralText('desc') };

function cappedMerge(db: Kysely<Database>): StreamPageReader {
  return async (conversationIds, pos, upTo, limit, order) => {
    const out: Selectable<MessagesTable>[] = [];
    let ids = [...new Set(conversationIds)];
    let [lo, hi] = [pos, upTo];
    // At least 2: with a cap of 1 every conversation is capped and the exact
    // prefix is a single row; with 2 it holds every conversation's first row.
    let cap = Math.min(limit, Math.max(2, Math.ceil((2 * limit) / ids.length)));
    while (ids.length > 0 && lo < hi && out.length < limit) {
      const rows = (await db.executeQuery<Selectable<MessagesTable>>(CompiledQuery.raw(LATERAL[order], [ids, lo, hi, cap]))).rows;
      const perConversation = new Map<number, number>();
      for (const r of rows) perConversation.set(r.conversation_id, (perConversation.get(r.conversation_id) ?? 0) + 1);
      const capped = new Set([...perConversation].filter(([, n]) => n === cap).map(([id]) => id));
      // The merged rows are exact up to the first row that ends a capped conversation's read.
      let exact = rows.length;
      const seen = new Map<number, number>();
      for (let i = 0; i < rows.length; i++) {
        const id = rows[i].conversation_id;
        const n = (seen.get(id) ?? 0) + 1;
        seen.set(id, n);
        if (n === cap && capped.has(id)) {
          exact = i + 1;
          break;
        }
      }
      out.push(...rows.slice(0, Math.min(exact, limit - out.length)));
      if (capped.size === 0) break;
      const last = Number(rows[exact - 1].pos);
      if (order === 'asc') lo = last;
      else hi = last - 1;
      // Read on: the capped conversations, and any whose rows lie past the exact prefix.
      ids = [...new Set([...capped, ...rows.slice(exact).map((r) => r.conversation_id)])];
      cap = Math.min(limit - out.length, Math.max(cap * 2, Math.ceil((2 * (limit - out.length)) / ids.length)));
    }
    return out;
  };
}
