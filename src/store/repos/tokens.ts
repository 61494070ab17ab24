import type { Kysely, Selectable } from 'kysely';
import type { TokenKind, TokenRecord } from '../../core/model.ts';
import type { TokenRepo } from '../../core/ports.ts';
import type { Database } from '../schema.ts';
import type { TokensTable } from '../tables/foundation.ts';

const toToken = (r: Selectable<TokensTable>): TokenRecord => ({
  id: r.id,
  appId: r.app_id,
  userId: r.user_id,
  kind: r.kind as TokenKind,
  tokenHash: r.token_hash,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
  createdAt: r.created_at,
});

export function tokenRepo(db: Kysely<Database>): TokenRepo {
  return {
    async insert(t) {
      await db
        .insertInto('tokens')
        .values({
          id: t.id,
          app_id: t.appId,
          user_id: t.userId,
          kind: t.kind,
          token_hash: t.tokenHash,
          expires_at: t.expiresAt,
          revoked_at: t.revokedAt,
          created_at: t.createdAt,
        })
        .execute();
    },
    async getByHash(hash) {
      const r = await db.selectFrom('tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
      return r && toToken(r);
    },
    async get(id) {
      const r = await db.selectFrom('tokens').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toToken(r);
    },
    async revoke(id, at) {
      const r = await db.updateTable('tokens').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async revokeAllOfUser(userId, exceptId, at) {
      const rows = await db
        .updateTable('tokens')
        .set({ revoked_at: at })
        .where('user_id', '=', userId)
        .where('id', '!=', exceptId)
        .where('revoked_at', 'is', null)
        .returning(['id', 'app_id', 'user_id'])
        .execute();
      return rows.map((r) => ({ id: r.id, appId: r.app_id, userId: r.user_id, revokedAt: at }));
    },
    async revokedSince(at, afterId, limit) {
      const rows = await db
        .selectFrom('tokens')
        .select(['id', 'app_id', 'user_id', 'revoked_at'])
        .where((eb) => eb.or([eb('revoked_at', '>', at), eb.and([eb('revoked_at', '=', at), eb('id', '>', afterId)])]))
        .orderBy('revoked_at')
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ id: r.id, appId: r.app_id, userId: r.user_id, revokedAt: r.revoked_at as number }));
    },
  };
}
