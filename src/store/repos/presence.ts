import { sql, type Kysely } from 'kysely';
import type { PresenceRepo } from '../../core/presence/ports.ts';
import type { Database } from '../schema.ts';

export function presenceRepo(db: Kysely<Database>): PresenceRepo {
  return {
    async getMany(userIds) {
      if (userIds.length === 0) return [];
      const rows = await db.selectFrom('user_presence').selectAll().where('user_id', 'in', userIds).execute();
      return rows.map((r) => ({ userId: Number(r.user_id), lastSeenAt: r.last_seen_at === null ? null : Number(r.last_seen_at), hideLastSeen: Number(r.hide_last_seen) === 1 }));
    },
    async saveLastSeen(entries) {
      if (entries.length === 0) return;
      // One upsert for the whole batch; a later time wins whichever process writes first.
      await db
        .insertInto('user_presence')
        .values(entries.map((e) => ({ user_id: e.userId, last_seen_at: e.at, hide_last_seen: 0 })))
        .onConflict((oc) =>
          oc.column('user_id').doUpdateSet({
            last_seen_at: sql<number>`case when user_presence.last_seen_at is null or user_presence.last_seen_at < excluded.last_seen_at then excluded.last_seen_at else user_presence.last_seen_at end`,
          }),
        )
        .execute();
    },
    async setHideLastSeen(userId, hide) {
      await db
        .insertInto('user_presence')
        .values({ user_id: userId, last_seen_at: null, hide_last_seen: hide ? 1 : 0 })
        .onConflict((oc) => oc.column('user_id').doUpdateSet({ hide_last_seen: hide ? 1 : 0 }))
        .execute();
    },
  };
}
