import { CompiledQuery, type Insertable, type Kysely, type Selectable, type Updateable } from 'kysely';
import type { MessageTypeName } from '../../core/messages/model.ts';
import type { AppendOutcome, Appendable, MessageRecord, MessageRepo } from '../../core/messages/ports.ts';
import type { Database } from '../schema.ts';
import type { MessagesTable } from '../tables/messages.ts';
import type { Engine } from '../engine.ts';
import { runPrepared } from '../prepared.ts';
import { streamPositions, type ClaimLedger } from './message-stream.ts';
import { streamPageReader } from './stream-pages.ts';
import { unreadTailReader } from './unread-tails.ts';

export const toMessageRecord = (r: Selectable<MessagesTable>): MessageRecord => ({
  id: r.id,
  appId: r.app_id,
  conversationId: r.conversation_id,
  seq: r.seq,
  pos: r.pos,
  senderId: r.sender_id,
  clientId: r.client_id,
  type: r.type as MessageTypeName,
  body: JSON.parse(r.body) as Record<string, unknown>,
  ext: r.ext === null ? null : (JSON.parse(r.ext) as Record<string, unknown>),
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
  revokedBy: r.revoked_by,
  replyToId: r.reply_to,
  threadRootId: r.thread_root,
  editedAt: r.edited_at,
  editCount: Number(r.edit_count),
});

// Rows are inserted in power-of-two chunks (≤ 256 rows, 15 parameters each,
// far below both engines' limits), so only nine statement shapes exist: their
// SQL text is compiled once per engine and the prepared statements stay
// cached, instead of building and compiling a fresh query per batch.
const MAX_CHUNK = 256;
const insertSql = new WeakMap<object, Map<number, string>>();

const rowValues = (r: Insertable<MessagesTable>) => [r.id, r.app_id, r.conversation_id, r.seq, r.pos, r.sender_id, r.client_id, r.type, r.body, r.ext, r.created_at, r.revoked_at, r.revoked_by, r.reply_to, r.thread_root];

async function insertRows(db: Kysely<Database>, rows: Insertable<MessagesTable>[]): Promise<void> {
  const adapter = db.getExecutor().adapter;
  let cache = insertSql.get(adapter);
  if (!cache) insertSql.set(adapter, (cache = new Map()));
  let i = 0;
  while (i < rows.length) {
    let n = MAX_CHUNK;
    while (n > rows.length - i) n >>= 1;
    const chunk = rows.slice(i, i + n);
    i += n;
    let text = cache.get(n);
    if (text === undefined) {
      // Compiled from the same column order as rowValues (key order of the rows below).
      const compiled = db.insertInto('messages').values(chunk).compile();
      const expected = chunk.flatMap(rowValues);
      if (compiled.parameters.length !== expected.length || compiled.parameters.some((p, k) => p !== expected[k])) throw new Error('insert parameters are not in rowValues order');
      text = compiled.sql;
      cache.set(n, text);
    }
    await db.executeQuery(CompiledQuery.raw(text, chunk.flatMap(rowValues)));
  }
}

/** Conversations per statement of the batched reads (the conversation list's last messages). */
const BATCH = 100;

const chunks = <T>(all: readonly T[]): T[][] => Array.from({ length: Math.ceil(all.length / BATCH) }, (_, i) => all.slice(i * BATCH, (i + 1) * BATCH));

const dedupeKey = (conversationId: number, senderId: number | null, clientId: string) => `${conversationId}:${senderId ?? ''}:${clientId}`;

/**
 * Messages over `db` (the pool, or a transaction: `claims` is given only
 * inside `Store.transaction`, where writes take stream positions).
 */
export function messageRepo(db: Kysely<Database>, engine: Engine, claims?: ClaimLedger): MessageRepo {
  const stream = streamPositions(db, engine, claims);
  const streamPage = streamPageReader(db, engine);
  // A conversation's last_pos only moves forward: two writers of one
  // conversation may commit out of position order (see message-stream.ts).
  const later = engine.name === 'postgres' ? 'greatest' : 'max';

  /**
   * Locks the conversations a batch writes (PostgreSQL: row locks to commit,
   * in id order so two batches never deadlock; SQLite has one writer), so the
   * resend check that follows cannot race another writer of them.
   */
  const lockConversations = async (ids: number[]): Promise<void> => {
    if (engine.name !== 'postgres') return;
    await db.selectFrom('conversations').select('id').where('id', 'in', ids).orderBy('id').forUpdate().execute();
  };

  /**
   * Rewrites an unrevoked message in place (revoke, edit) and moves it to the
   * next stream position (message-stream.ts), so sync tells every device.
   */
  const changeInPlace = async (id: number, set: Updateable<MessagesTable>, countEdit = false): Promise<MessageRecord | undefined> => {
    const pos = await stream.take(1);
    const r = await db
      .updateTable('messages')
      .set({ ...set, pos })
      .$if(countEdit, (q) => q.set((eb) => ({ edit_count: eb('edit_count', '+', 1) })))
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    if (!r) return undefined;
    await db
      .updateTable('conversations')
      .set((eb) => ({ last_pos: eb.fn<number>(later, [eb.ref('last_pos'), eb.val(pos)]) }))
      .where('id', '=', r.conversation_id)
      .execute();
    return toMessageRecord(r);
  };

  const unreadTails = unreadTailReader(db, engine);

  return {
    async append(items) {
      await lockConversations([...new Set(items.map((i) => i.conversationId))].sort((a, b) => a - b));

      // Already stored resends: only sends that carry a client id can be one.
      const keyed = items.filter((i) => i.clientId !== null);
      const existing = new Map<string, MessageRecord>();
      if (keyed.length > 0) {
        const rows = await db
          .selectFrom('messages')
          .selectAll()
          .where('conversation_id', 'in', [...new Set(keyed.map((i) => i.conversationId))])
          .where('client_id', 'in', [...new Set(keyed.map((i) => i.clientId as string))])
          .execute();
        for (const r of rows) existing.set(dedupeKey(r.conversation_id, r.sender_id, r.client_id as string), toMessageRecord(r));
      }

      // Fresh sends in arrival order; a repeat inside this batch points at its first.
      const outcomes: (AppendOutcome | number)[] = [];
      const firstInBatch = new Map<string, number>();
      const fresh: { item: Appendable; index: number }[] = [];
      items.forEach((item, index) => {
        if (item.clientId !== null) {
          const key = dedupeKey(item.conversationId, item.senderId, item.clientId);
          const stored = existing.get(key);
          if (stored) return void outcomes.push({ stored, duplicate: true });
          const first = firstInBatch.get(key);
          if (first !== undefined) return void outcomes.push(first);
          firstInBatch.set(key, index);
        }
        fresh.push({ item, index });
        outcomes.push(-1);
      });

      if (fresh.length > 0) {
        // Positions in arrival order; seqs per conversation in the same order.
        const head = (await stream.take(fresh.length)) - 1;
        const perConversation = new Map<number, number>();
        for (const f of fresh) perConversation.set(f.item.conversationId, (perConversation.get(f.item.conversationId) ?? 0) + 1);
        const lastPosOf = new Map<number, number>();
        fresh.forEach((f, i) => lastPosOf.set(f.item.conversationId, head + 1 + i));
        const nextSeq = new Map<number, number>();
        for (const [conversationId, n] of [...perConversation].sort((a, b) => a[0] - b[0])) {
          const [r] = (
            await runPrepared<{ last_seq: number }>(
              db,
              'advance conversation',
              (q, count, lastPos, id) =>
                q
                  .updateTable('conversations')
                  .set((eb) => ({ last_seq: eb('last_seq', '+', count), last_pos: eb.fn<number>(later, [eb.ref('last_pos'), eb.val(lastPos)]) }))
                  .where('id', '=', id)
                  .returning('last_seq'),
              [n, lastPosOf.get(conversationId) as number, conversationId],
            )
          ).rows;
          if (!r) throw new Error(`conversation ${conversationId} does not exist`);
          nextSeq.set(conversationId, r.last_seq - n + 1);
        }

        const rows: Insertable<MessagesTable>[] = [];
        fresh.forEach((f, i) => {
          const seq = nextSeq.get(f.item.conversationId) as number;
          nextSeq.set(f.item.conversationId, seq + 1);
          const stored: MessageRecord = { ...f.item, seq, pos: head + 1 + i, revokedAt: null, revokedBy: null, replyToId: f.item.replyToId ?? null, threadRootId: f.item.threadRootId ?? null, editedAt: null, editCount: 0 };
          outcomes[f.index] = { stored, duplicate: false };
          rows.push({
            id: stored.id,
            app_id: stored.appId,
            conversation_id: stored.conversationId,
            seq,
            pos: stored.pos,
            sender_id: stored.senderId,
            client_id: stored.clientId,
            type: stored.type,
            body: JSON.stringify(stored.body),
            ext: stored.ext === null ? null : JSON.stringify(stored.ext),
            created_at: stored.createdAt,
            revoked_at: null,
            revoked_by: null,
            reply_to: stored.replyToId,
            thread_root: stored.threadRootId,
          });
        });
        await insertRows(db, rows);
      }

      return outcomes.map((o) => {
        if (typeof o !== 'number') return o;
        const first = outcomes[o] as AppendOutcome;
        return { stored: first.stored, duplicate: true };
      });
    },

    async get(id) {
      const r = await db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toMessageRecord(r);
    },

    async getMany(ids) {
      if (ids.length === 0) return [];
      const rows = await db.selectFrom('messages').selectAll().where('id', 'in', [...new Set(ids)]).execute();
      return rows.map(toMessageRecord);
    },

    async getBySeq(conversationId, seq) {
      const r = await db.selectFrom('messages').selectAll().where('conversation_id', '=', conversationId).where('seq', '=', seq).executeTakeFirst();
      return r && toMessageRecord(r);
    },

    async page(q) {
      let query = db.selectFrom('messages').selectAll().where('conversation_id', '=', q.conversationId);
      if (q.afterSeq > 0) query = query.where('seq', '>', q.afterSeq);
      if (q.beforeSeq < Number.MAX_SAFE_INTEGER) query = query.where('seq', '<', q.beforeSeq);
      if (q.sinceMs > 0) query = query.where('created_at', '>=', q.sinceMs);
      if (q.idAbove) query = query.where('id', '>', q.idAbove);
      if (q.idBelow) query = query.where('id', '<', q.idBelow);
      const rows = await query.orderBy('seq', q.order).limit(q.limit).execute();
      return rows.map(toMessageRecord);
    },

    async unreadTail(q) {
      return (await unreadTails([q])).get(q.conversationId) ?? { count: 0, mentionCandidates: [] };
    },

    unreadTails,

    async lastOf(conversations) {
      const out: MessageRecord[] = [];
      for (const part of chunks(conversations.filter((c) => c.seq > 0))) {
        const rows = await db
          .selectFrom('messages')
          .selectAll()
          .where((eb) => eb.or(part.map((c) => eb.and([eb('conversation_id', '=', c.conversationId), eb('seq', '=', c.seq)]))))
          .execute();
        out.push(...rows.map(toMessageRecord));
      }
      return out;
    },

    streamHead: () => stream.safeHead(),

    async changedSince(conversationIds, pos, upTo, limit, order = 'asc') {
      if (conversationIds.length === 0 || upTo <= pos) return [];
      return (await streamPage(conversationIds, pos, upTo, limit, order)).map(toMessageRecord);
    },

    async revoke(id, marker) {
      return changeInPlace(id, { type: marker.type, body: JSON.stringify(marker.body), ext: null, revoked_at: marker.at, revoked_by: marker.by });
    },

    async edit(id, change) {
      return changeInPlace(id, { body: JSON.stringify(change.body), edited_at: change.at }, true);
    },

    async reposition(id) {
      // Annotation changes (reactions, pins) check their limits after this:
      // the conversation's row lock serialises them within the conversation.
      const m = await db.selectFrom('messages').select('conversation_id').where('id', '=', id).executeTakeFirst();
      if (!m) return undefined;
      await lockConversations([m.conversation_id]);
      return changeInPlace(id, {});
    },
  };
}
