import type { Kysely } from 'kysely';

// Where each device stands in the message stream: every change up to
// `delivered_pos` reached it (dtalk phones: acknowledged with op 10), so a
// reconnect replays only what follows. Null until the device first connects.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('devices').addColumn('delivered_pos', 'bigint').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('devices').dropColumn('delivered_pos').execute();
}
