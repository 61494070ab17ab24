import type { Kysely } from 'kysely';

// Every server looks, about once a second, for tokens revoked since its last
// look (src/core/auth/revocation-watch.ts): an index on `revoked_at` keeps that
// look cheap however many tokens were ever issued.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('tokens_revoked_at').on('tokens').columns(['revoked_at', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('tokens_revoked_at').execute();
}
