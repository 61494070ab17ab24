import type { Kysely } from 'kysely';

// Calls and their parties. `version` makes every save conditional on the
// state it was computed from (optimistic locking on both engines).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('calls')
    .addColumn('id', 'bigint', (c) => c.primaryKey())
    .addColumn('app_id', 'bigint', (c) => c.notNull().references('apps.id'))
    .addColumn('caller_id', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('group_id', 'bigint')
    .addColumn('media', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('stop_reason', 'text')
    .addColumn('room_id', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('deadline', 'bigint', (c) => c.notNull())
    .addColumn('answered_at', 'bigint')
    .addColumn('ended_at', 'bigint')
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('calls_open_deadline').on('calls').columns(['status', 'deadline']).execute();

  await db.schema
    .createTable('call_parties')
    .addColumn('call_id', 'bigint', (c) => c.notNull().references('calls.id'))
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('call_parties_pk', ['call_id', 'user_id'])
    .execute();
  await db.schema.createIndex('call_parties_user').on('call_parties').column('user_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('call_parties').execute();
  await db.schema.dropTable('calls').execute();
}
