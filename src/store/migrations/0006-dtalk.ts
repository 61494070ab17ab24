import type { Kysely } from 'kysely';

// The devices a user signs in from (dtalk's FZM-UUID / FZM-DEVICE headers and
// the socket Login ext): the reconnect rule of /app/user/login compares a
// reconnecting device with the one most recently signed in.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('devices')
    .addColumn('app_id', 'bigint', (c) => c.notNull().references('apps.id'))
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('uuid', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('signed_in_at', 'bigint', (c) => c.notNull())
    .addColumn('seen_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('devices_pk', ['user_id', 'uuid'])
    .execute();
  await db.schema.createIndex('devices_user_signed_in').on('devices').columns(['user_id', 'signed_in_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('devices').execute();
}
