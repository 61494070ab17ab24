// Many conversations' unread tails (the conversation list, a read state):
// per conversation, the messages after the reader's position that count for
// them, read at most `limit` deep, so a long tail costs no more than the cap.
// The counted predicate is the same on both engines; how many conversations
// share one statement differs.

import { CompiledQuery, type Kysely } from 'kysely';
import type { UnreadTail, UnreadTailQuery } from '../../core/messages/ports.ts';
import type { Database } from '../schema.ts';
import type { Engine } from '../engine.ts';

export type UnreadTailReader = (queries: readonly UnreadTailQuery[]) => Promise<Map<number, UnreadTail>>;

/** Only text can mention; the JSON text is filtered coarsely here and exactly in core. `m`: the table's alias and a dot, or ''. */
const mentionFilter = (m: string) => ` and ${m}type = 'text' and ${m}body like '%"mention%'`;

export function unreadTailReader(db: Kysely<Database>, engine: Engine): UnreadTailReader {
  return engine.name === 'postgres' ? arrayTails(db) : unionTails(db);
}

/**
 * PostgreSQL: one statement of one shape for any number of conversations,
 * the queries passed as arrays and each tail read by a correlated subquery.
 * A UNION ALL of fifty terms cost PostgreSQL more to plan than to run (5–10
 * ms of planning per statement, two statements per list page); this plan
 * is a few tenths of a millisecond, and counts and mention candidates come
 * back together.
 */
function arrayTails(db: Kysely<Database>): UnreadTailReader {
  const tail = (extra: string) =>
    `select m.seq, m.body from messages m where m.conversation_id = q.conversation_id and m.seq > q.after_seq and m.revoked_at is null and m.type <> 'notice' and (m.sender_id is null or m.sender_id <> q.reader_id) and m.created_at >= q.since_ms${extra} order by m.seq limit q.lim`;
  const text =
    `select q.conversation_id, (select count(*) from (${tail('')}) t) as n, ` +
    `(select json_agg(t.body::json order by t.seq) from (${tail(mentionFilter('m.'))}) t) as candidates ` +
    `from unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[]) as q(conversation_id, after_seq, reader_id, since_ms, lim)`;
  return async (queries) => {
    const out = new Map<number, UnreadTail>();
    if (queries.length === 0) return out;
    const column = (f: (q: UnreadTailQuery) => number) => queries.map(f);
    const r = await db.executeQuery<{ conversation_id: number; n: number; candidates: Record<string, unknown>[] | null }>(
      CompiledQuery.raw(text, [column((q) => q.conversationId), column((q) => q.afterSeq), column((q) => q.readerId), column((q) => q.sinceMs), column((q) => q.limit)]),
    );
    for (const row of r.rows) if (row.n > 0) out.set(Number(row.conversation_id), { count: Number(row.n), mentionCandidates: row.candidates ?? [] });
    return out;
  };
}

/**
 * SQLite: a UNION ALL with a term per conversation (SQLite allows 500
 * terms; 100 per statement), written as text rather than built by Kysely:
 * building and compiling a hundred-term query cost more than running it.
 */
function unionTails(db: Kysely<Database>): UnreadTailReader {
  const BATCH = 100;
  const tailSql = (terms: number, select: string, extra: string) =>
    Array.from(
      { length: terms },
      () => `select ${select} from (select conversation_id, seq, body from messages where conversation_id = ? and seq > ? and revoked_at is null and type <> 'notice' and (sender_id is null or sender_id <> ?) and created_at >= ?${extra} order by seq limit ?) t`,
    ).join(' union all ');
  const tailArgs = (q: UnreadTailQuery) => [q.conversationId, q.afterSeq, q.readerId, q.sinceMs, q.limit];
  return async (queries) => {
    const out = new Map<number, UnreadTail>();
    for (let i = 0; i < queries.length; i += BATCH) {
      const part = queries.slice(i, i + BATCH);
      const counts = await db.executeQuery<{ conversation_id: number | string; n: number | string }>(
        CompiledQuery.raw(tailSql(part.length, 'cast(? as bigint) as conversation_id, count(*) as n', ''), part.flatMap((q) => [q.conversationId, ...tailArgs(q)])),
      );
      for (const r of counts.rows) if (Number(r.n) > 0) out.set(Number(r.conversation_id), { count: Number(r.n), mentionCandidates: [] });
      const withUnread = part.filter((q) => out.has(q.conversationId));
      if (withUnread.length === 0) continue;
      const candidates = await db.executeQuery<{ conversation_id: number | string; body: string }>(
        CompiledQuery.raw(tailSql(withUnread.length, 't.conversation_id, t.body', mentionFilter('')), withUnread.flatMap(tailArgs)),
      );
      for (const r of candidates.rows) out.get(Number(r.conversation_id))?.mentionCandidates.push(JSON.parse(r.body) as Record<string, unknown>);
    }
    return out;
  };
}
