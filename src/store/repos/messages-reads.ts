import type { Kysely } from 'kysely';
import type { FocusRepo, ReadPositionRepo } from '../../core/messages/ports.ts';
import type { Database } from '../schema.ts';

export function readPositionRepo(db: Kysely<Database>): ReadPositionRepo {
  const get = async (conversationId: number, userId: number) => {
    const r = await db.selectFrom('read_positions').select('seq').where('conversation_id', '=', conversationId).where('user_id', '=', userId).executeTakeFirst();
    return r?.seq ?? 0;
  };
  const repo: ReadPositionRepo = {
    get,
    // One upsert that only ever moves forward, so two devices reporting out
    // of order cannot move a reader back.
    async advance(conversationId, userId, seq, at) {
      await db
        .insertInto('read_positions')
        .values({ conversation_id: conversationId, user_id: userId, seq, updated_at: at })
        .onConflict((oc) =>
          oc
            .columns(['conversation_id', 'user_id'])
            .doUpdateSet({ seq, updated_at: at })
            .where('read_positions.seq', '<', seq),
        )
        .execute();
      return get(conversationId, userId);
    },
    async advanceMany(conversationId, userIds, seq, at) {
      for (let i = 0; i < userIds.length; i += 500) {
        await db
          .insertInto('read_positions')
          .values(userIds.slice(i, i + 500).map((userId) => ({ conversation_id: conversationId, user_id: userId, seq, updated_at: at })))
          .onConflict((oc) => oc.columns(['conversation_id', 'user_id']).doUpdateSet({ seq, updated_at: at }).where('read_positions.seq', '<', seq))
          .execute();
      }
    },
    async rewind(conversationId, userId, seq, at) {
      await db.updateTable('read_positions').set({ seq, updated_at: at }).where('conversation_id', '=', conversationId).where('user_id', '=', userId).where('seq', '>', seq).execute();
      return get(conversationId, userId);
    },
    async getForUser(userId, conversationIds) {
      if (conversationIds.length === 0) return new Map();
      const rows = await db
        .selectFrom('read_positions')
        .select(['conversation_id', 'seq'])
        .where('user_id', '=', userId)
        .where('conversation_id', 'in', [...conversationIds])
        .execute();
      return new Map(rows.map((r) => [r.conversation_id, r.seq]));
    },
    async advanceBatch(items) {
      if (items.length === 0) return [];
      const key = (c: number, u: number) => `${c}:${u}`;
      // Inserted or moved forward: RETURNING lists exactly those (both engines).
      const movedRows = await db
        .insertInto('read_positions')
        .values(items.map((i) => ({ conversation_id: i.conversationId, user_id: i.userId, seq: i.seq, updated_at: i.at })))
        .onConflict((oc) =>
          oc
            .columns(['conversation_id', 'user_id'])
            .doUpdateSet((eb) => ({ seq: eb.ref('excluded.seq'), updated_at: eb.ref('excluded.updated_at') }))
            .where('read_positions.seq', '<', (eb) => eb.ref('excluded.seq')),
        )
        .returning(['conversation_id', 'user_id', 'seq'])
        .execute();
      const moved = new Map(movedRows.map((r) => [key(r.conversation_id, r.user_id), r.seq]));
      // The others stayed where they were (at or beyond what was asked): read them back.
      const stayed = new Map<string, number>();
      const byConversation = new Map<number, number[]>();
      for (const i of items) if (!moved.has(key(i.conversationId, i.userId))) byConversation.set(i.conversationId, [...(byConversation.get(i.conversationId) ?? []), i.userId]);
      for (const [conversationId, userIds] of byConversation) {
        for (const [userId, seq] of await repo.getMany(conversationId, userIds)) stayed.set(key(conversationId, userId), seq);
      }
      return items.map((i) => {
        const k = key(i.conversationId, i.userId);
        const m = moved.get(k);
        return m !== undefined ? { stored: m, moved: true } : { stored: stayed.get(k) ?? 0, moved: false };
      });
    },
    async getMany(conversationId, userIds) {
      const found = new Map<number, number>();
      const ids = [...new Set(userIds)];
      for (let i = 0; i < ids.length; i += 500) {
        const rows = await db
          .selectFrom('read_positions')
          .select(['user_id', 'seq'])
          .where('conversation_id', '=', conversationId)
          .where('user_id', 'in', ids.slice(i, i + 500))
          .execute();
        for (const r of rows) found.set(r.user_id, r.seq);
      }
      return found;
    },
    async countsFrom(conversationId, minSeq) {
      const rows = await db
        .selectFrom('read_positions')
        .select((eb) => ['seq', eb.fn.countAll<number>().as('n')])
        .where('conversation_id', '=', conversationId)
        .where('seq', '>=', minSeq)
        .groupBy('seq')
        .execute();
      return rows.map((r) => ({ seq: r.seq, readers: Number(r.n) }));
    },
    async readersFrom(conversationId, minSeq, after, limit) {
      let q = db.selectFrom('read_positions').select(['user_id', 'seq']).where('conversation_id', '=', conversationId).where('seq', '>=', minSeq);
      if (after) q = q.where((eb) => eb.or([eb('seq', '>', after.seq), eb.and([eb('seq', '=', after.seq), eb('user_id', '>', after.userId)])]));
      const rows = await q.orderBy('seq').orderBy('user_id').limit(limit).execute();
      return rows.map((r) => ({ userId: r.user_id, seq: r.seq }));
    },
  };
  return repo;
}

export function focusRepo(db: Kysely<Database>): FocusRepo {
  return {
    async add(messageId, userId, at) {
      const r = await db
        .insertInto('message_focus')
        .values({ message_id: messageId, user_id: userId, created_at: at })
        .onConflict((oc) => oc.columns(['message_id', 'user_id']).doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
    },
    async list(messageId) {
      const rows = await db.selectFrom('message_focus').select(['user_id', 'created_at']).where('message_id', '=', messageId).orderBy('created_at').orderBy('user_id').execute();
      return rows.map((r) => ({ userId: r.user_id, at: r.created_at }));
    },
    async count(messageId) {
      const r = await db.selectFrom('message_focus').select((eb) => eb.fn.countAll<number>().as('n')).where('message_id', '=', messageId).executeTakeFirstOrThrow();
      return Number(r.n);
    },
  };
}
