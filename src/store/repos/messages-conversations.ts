import type { Kysely, Selectable, SelectQueryBuilder } from 'kysely';
import type { Conversation, ConversationKind } from '../../core/messages/model.ts';
import type { ConversationRepo } from '../../core/messages/ports.ts';
import type { Database } from '../schema.ts';
import type { ConversationsTable } from '../tables/messages.ts';

const toConversation = (r: Selectable<ConversationsTable>): Conversation => ({
  id: r.id,
  appId: r.app_id,
  kind: r.kind as ConversationKind,
  groupId: r.group_id,
  userA: r.user_a,
  userB: r.user_b,
  lastSeq: r.last_seq,
  lastPos: r.last_pos,
  createdAt: r.created_at,
});

type Conversations = SelectQueryBuilder<Database, 'conversations', object>;
type Range = (where: (qb: Conversations) => Conversations) => SelectQueryBuilder<Database, any, Selectable<ConversationsTable>>;

/**
 * `range` once per way a user is in a conversation (as user_a, as user_b,
 * through one of `groupIds`, 500 at a time), merged with UNION ALL. A private
 * conversation has two different users, so no row comes twice.
 */
function eachWayIn(userId: number, groupIds: readonly number[], range: Range) {
  let query = range((qb) => qb.where('user_a', '=', userId)).unionAll(range((qb) => qb.where('user_b', '=', userId)));
  for (let i = 0; i < groupIds.length; i += 500) {
    const ids = groupIds.slice(i, i + 500);
    query = query.unionAll(range((qb) => qb.where('group_id', 'in', ids)));
  }
  return query;
}

export function conversationRepo(db: Kysely<Database>): ConversationRepo {
  const findGroup = async (appId: number, groupId: number) => {
    const r = await db.selectFrom('conversations').selectAll().where('app_id', '=', appId).where('group_id', '=', groupId).executeTakeFirst();
    return r && toConversation(r);
  };
  const findPrivate = async (appId: number, userA: number, userB: number) => {
    const r = await db
      .selectFrom('conversations')
      .selectAll()
      .where('app_id', '=', appId)
      .where('user_a', '=', userA)
      .where('user_b', '=', userB)
      .executeTakeFirst();
    return r && toConversation(r);
  };
  const base = { last_seq: 0, last_pos: 0 };
  return {
    findGroup,
    findPrivate,
    // INSERT … ON CONFLICT DO NOTHING then read: two first sends racing (in
    // one process or several) both end up with the one row.
    async ensureGroup(appId, groupId, newId, now) {
      const found = await findGroup(appId, groupId);
      if (found) return found;
      await db
        .insertInto('conversations')
        .values({ id: newId, app_id: appId, kind: 'group', group_id: groupId, user_a: null, user_b: null, created_at: now, ...base })
        .onConflict((oc) => oc.doNothing())
        .execute();
      const row = await findGroup(appId, groupId);
      if (!row) throw new Error(`conversation of group ${groupId} vanished`);
      return row;
    },
    async ensurePrivate(appId, userA, userB, newId, now) {
      const found = await findPrivate(appId, userA, userB);
      if (found) return found;
      await db
        .insertInto('conversations')
        .values({ id: newId, app_id: appId, kind: 'private', group_id: null, user_a: userA, user_b: userB, created_at: now, ...base })
        .onConflict((oc) => oc.doNothing())
        .execute();
      const row = await findPrivate(appId, userA, userB);
      if (!row) throw new Error(`conversation of ${userA}/${userB} vanished`);
      return row;
    },
    async get(id) {
      const r = await db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toConversation(r);
    },
    async getMany(ids) {
      if (ids.length === 0) return [];
      const rows = await db.selectFrom('conversations').selectAll().where('id', 'in', [...new Set(ids)]).execute();
      return rows.map(toConversation);
    },
    // Both reads below take one index range per way of being in a
    // conversation (as user_a, as user_b, through each group) and merge
    // them: for an OR of the three SQLite walks every conversation of the
    // app, whoever is in it (PostgreSQL with statistics ORs the indexes).
    async changedSince(appId, userId, groupIds, pos) {
      const rows = await eachWayIn(userId, groupIds, (where) => where(db.selectFrom('conversations')).selectAll().where('app_id', '=', appId).where('last_pos', '>', pos)).execute();
      return rows.map(toConversation);
    },
    // Each range is cut at `limit` before the merge.
    async listForUser(appId, userId, groupIds, limit, beforePos) {
      const ranges = eachWayIn(userId, groupIds, (where) =>
        db
          .selectFrom((eb) =>
            where(eb.selectFrom('conversations'))
              .selectAll()
              .where('app_id', '=', appId)
              .where('last_seq', '>', 0)
              .$if(beforePos !== undefined, (qb) => qb.where('last_pos', '<', beforePos as number))
              .orderBy('last_pos', 'desc')
              .limit(limit)
              .as('c'),
          )
          .selectAll(),
      );
      const rows = await db.selectFrom(ranges.as('u')).selectAll().orderBy('last_pos', 'desc').limit(limit).execute();
      return rows.map(toConversation);
    },
  };
}
