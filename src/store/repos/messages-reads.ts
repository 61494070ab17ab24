import type { Kysely } from 'kysely';
import type { FocusRepo, ReadPositionRepo } from '../../core/messages/ports.ts';
import type { Database } from '../schema.ts';

export function readPositionRepo(db: Kysely<Database>): ReadPositionRepo {
  const get = async (conversationId: number, userId: number) => {
    const r = await db.selectFrom('read_positions').select('seq').where('conversation_id', '=', conversationId).where('user_id', '=', userId).executeTakeFirst();
    return r?.seq ?? 0;
  };
  return {
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
    async positionsFrom(conversationId, minSeq) {
      const rows = await db
        .selectFrom('read_positions')
        .select(['user_id', 'seq'])
        .where('conversation_id', '=', conversationId)
        .where('seq', '>=', minSeq)
        .execute();
      return rows.map((r) => ({ userId: r.user_id, seq: r.seq }));
    },
  };
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
