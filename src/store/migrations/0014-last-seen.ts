import type { Kysely } from 'kysely';

// Presence (src/core/presence/): when each user was last seen online, written
// lazily in batches (never per connect), and whether they hide it from others.
// A row exists only for users who were seen or changed the setting.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('user_presence')
    .addColumn('user_id', 'bigint', (c) => c.primaryKey())
    .addColumn('last_seen_at', 'bigint')
    .addColumn('hide_last_seen', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('user_presence').execute();
}
