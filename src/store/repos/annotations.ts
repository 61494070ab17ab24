// Reactions and pins: rows beside the message they annotate. Both engines
// run the same statements; inserts that may repeat use ON CONFLICT DO NOTHING
// so an idempotent add never fails a transaction.

import type { Kysely } from 'kysely';
import type { PinRecord, PinRepo, ReactionCount, ReactionRepo } from '../../core/messages/ports.ts';
import type { Database } from '../schema.ts';

export function reactionRepo(db: Kysely<Database>): ReactionRepo {
  return {
    async add(messageId, userId, emoji, at) {
      const r = await db
        .insertInto('message_reactions')
        .values({ message_id: messageId, emoji, user_id: userId, created_at: at })
        .onConflict((oc) => oc.columns(['message_id', 'emoji', 'user_id']).doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
    },

    async remove(messageId, userId, emoji) {
      const r = await db.deleteFrom('message_reactions').where('message_id', '=', messageId).where('user_id', '=', userId).where('emoji', '=', emoji).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },

    async ofUser(messageId, userId) {
      const rows = await db.selectFrom('message_reactions').select('emoji').where('message_id', '=', messageId).where('user_id', '=', userId).orderBy('created_at').execute();
      return rows.map((r) => r.emoji);
    },

    async emojiOf(messageId) {
      const rows = await db.selectFrom('message_reactions').select('emoji').distinct().where('message_id', '=', messageId).execute();
      return rows.map((r) => r.emoji);
    },

    async counts(messageIds, viewerId) {
      const out = new Map<number, ReactionCount[]>();
      if (messageIds.length === 0) return out;
      const ids = [...new Set(messageIds)];
      const rows = await db
        .selectFrom('message_reactions')
        .select((eb) => ['message_id', 'emoji', eb.fn.countAll<number | string>().as('n'), eb.fn.min('created_at').as('first')])
        .where('message_id', 'in', ids)
        .groupBy(['message_id', 'emoji'])
        .orderBy('message_id')
        .orderBy('first')
        .orderBy('emoji')
        .execute();
      const mine = new Set<string>();
      if (viewerId !== null && rows.length > 0) {
        const own = await db.selectFrom('message_reactions').select(['message_id', 'emoji']).where('message_id', 'in', ids).where('user_id', '=', viewerId).execute();
        for (const r of own) mine.add(`${r.message_id}:${r.emoji}`);
      }
      for (const r of rows) {
        let list = out.get(r.message_id);
        if (!list) out.set(r.message_id, (list = []));
        list.push({ emoji: r.emoji, count: Number(r.n), me: mine.has(`${r.message_id}:${r.emoji}`) });
      }
      return out;
    },

    async reactors(messageId, emoji, after, limit) {
      let q = db.selectFrom('message_reactions').select(['user_id', 'created_at']).where('message_id', '=', messageId).where('emoji', '=', emoji);
      if (after) q = q.where((eb) => eb.or([eb('created_at', '>', after.at), eb.and([eb('created_at', '=', after.at), eb('user_id', '>', after.userId)])]));
      const rows = await q.orderBy('created_at').orderBy('user_id').limit(limit).execute();
      return rows.map((r) => ({ userId: r.user_id, at: r.created_at }));
    },

    async removeAll(messageId) {
      await db.deleteFrom('message_reactions').where('message_id', '=', messageId).execute();
    },
  };
}

const toPin = (r: { message_id: number; conversation_id: number; pinned_by: number; pinned_at: number }): PinRecord => ({
  messageId: r.message_id,
  conversationId: r.conversation_id,
  pinnedBy: r.pinned_by,
  pinnedAt: r.pinned_at,
});

export function pinRepo(db: Kysely<Database>): PinRepo {
  return {
    async add(pin) {
      const r = await db
        .insertInto('message_pins')
        .values({ message_id: pin.messageId, conversation_id: pin.conversationId, pinned_by: pin.pinnedBy, pinned_at: pin.pinnedAt })
        .onConflict((oc) => oc.column('message_id').doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
    },

    async remove(messageId) {
      const r = await db.deleteFrom('message_pins').where('message_id', '=', messageId).returningAll().executeTakeFirst();
      return r && toPin(r);
    },

    async getMany(messageIds) {
      const out = new Map<number, PinRecord>();
      if (messageIds.length === 0) return out;
      const rows = await db.selectFrom('message_pins').selectAll().where('message_id', 'in', [...new Set(messageIds)]).execute();
      for (const r of rows) out.set(r.message_id, toPin(r));
      return out;
    },

    async count(conversationId) {
      const r = await db.selectFrom('message_pins').select((eb) => eb.fn.countAll<number | string>().as('n')).where('conversation_id', '=', conversationId).executeTakeFirstOrThrow();
      return Number(r.n);
    },

    async list(conversationId, before, limit) {
      let q = db.selectFrom('message_pins').selectAll().where('conversation_id', '=', conversationId);
      if (before) q = q.where((eb) => eb.or([eb('pinned_at', '<', before.at), eb.and([eb('pinned_at', '=', before.at), eb('message_id', '<', before.messageId)])]));
      const rows = await q.orderBy('pinned_at', 'desc').orderBy('message_id', 'desc').limit(limit).execute();
      return rows.map(toPin);
    },
  };
}
