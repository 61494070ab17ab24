import type { Kysely, Selectable, Updateable } from 'kysely';
import { fail } from '../../core/errors.ts';
import type { UserRepo, UserWithSecret } from '../../core/ports.ts';
import type { Database } from '../schema.ts';
import type { UsersTable } from '../tables/foundation.ts';
import { isUniqueViolation } from './errors.ts';

const toUser = (r: Selectable<UsersTable>): UserWithSecret => ({
  id: r.id,
  appId: r.app_id,
  handle: r.handle,
  displayName: r.display_name,
  avatar: r.avatar,
  profile: JSON.parse(r.profile) as Record<string, unknown>,
  passwordHash: r.password_hash,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const withoutSecret = ({ passwordHash: _omit, ...user }: UserWithSecret) => user;

export function userRepo(db: Kysely<Database>): UserRepo {
  return {
    async insert(u) {
      try {
        await db
          .insertInto('users')
          .values({
            id: u.id,
            app_id: u.appId,
            handle: u.handle,
            display_name: u.displayName,
            avatar: u.avatar,
            profile: JSON.stringify(u.profile),
            password_hash: u.passwordHash,
            created_at: u.createdAt,
            updated_at: u.updatedAt,
          })
          .execute();
      } catch (e) {
        if (isUniqueViolation(e)) throw fail('handle_taken', `handle "${u.handle}" is already taken`);
        throw e;
      }
    },
    async get(id) {
      const r = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toUser(r);
    },
    async getByHandle(appId, handle) {
      const r = await db.selectFrom('users').selectAll().where('app_id', '=', appId).where('handle', '=', handle).executeTakeFirst();
      return r && toUser(r);
    },
    async getMany(ids) {
      if (ids.length === 0) return [];
      const rows = await db.selectFrom('users').selectAll().where('id', 'in', [...new Set(ids)]).execute();
      return rows.map((r) => withoutSecret(toUser(r)));
    },
    async update(id, patch) {
      const set: Updateable<UsersTable> = {};
      if (patch.displayName !== undefined) set.display_name = patch.displayName;
      if (patch.avatar !== undefined) set.avatar = patch.avatar;
      if (patch.profile !== undefined) set.profile = JSON.stringify(patch.profile);
      if (patch.passwordHash !== undefined) set.password_hash = patch.passwordHash;
      if (patch.updatedAt !== undefined) set.updated_at = patch.updatedAt;
      if (Object.keys(set).length === 0) return;
      await db.updateTable('users').set(set).where('id', '=', id).execute();
    },
    async list(appId, afterId, limit) {
      const rows = await db
        .selectFrom('users')
        .selectAll()
        .where('app_id', '=', appId)
        .where('id', '>', afterId)
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map((r) => withoutSecret(toUser(r)));
    },
    async count(appId) {
      const r = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).where('app_id', '=', appId).executeTakeFirstOrThrow();
      return Number(r.n);
    },
  };
}
