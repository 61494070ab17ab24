import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Webhooks (src/core/webhooks, docs/webhooks.md): the endpoints an app admin
// registered, the app's optional moderation hook, and the outbox: one row per
// (event, endpoint), written in the transaction of the change that caused the
// event and deleted once delivered. `position` is the commit order within an
// ordering key (a conversation takes a row lock before its rows are added), so
// the worker delivers each key's rows in `position` order.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('webhook_endpoints')
    .addColumn('id', 'bigint', (c) => c.primaryKey())
    .addColumn('app_id', 'bigint', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('categories', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('last_failure_at', 'bigint')
    .addColumn('last_success_at', 'bigint')
    .execute();
  await db.schema.createIndex('webhook_endpoints_app').on('webhook_endpoints').columns(['app_id', 'id']).execute();

  await db.schema
    .createTable('webhook_moderation')
    .addColumn('app_id', 'bigint', (c) => c.primaryKey())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('webhook_outbox')
    .addColumn('position', postgres ? sql`bigserial` : 'integer', (c) => (postgres ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('event_id', 'bigint', (c) => c.notNull())
    .addColumn('app_id', 'bigint', (c) => c.notNull())
    .addColumn('endpoint_id', 'bigint', (c) => c.notNull())
    .addColumn('ordering_key', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_at', 'bigint', (c) => c.notNull())
    .addColumn('lease_until', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('lease_owner', 'text')
    .addColumn('last_error', 'text')
    .execute();
  // "Is there an earlier row of this key for this endpoint?" and the due scan.
  await db.schema.createIndex('webhook_outbox_key').on('webhook_outbox').columns(['endpoint_id', 'ordering_key', 'position']).execute();
  await db.schema.createIndex('webhook_outbox_due').on('webhook_outbox').columns(['next_at', 'position']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['webhook_outbox', 'webhook_moderation', 'webhook_endpoints']) await db.schema.dropTable(t).execute();
}
