import type { Kysely } from 'kysely';

// Each writing process holds its id generator's node id as a lease here, so a
// server and an admin command (or two servers given the same PARLEY_NODE_ID)
// never make the same id. See src/core/node-lease.ts.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('node_leases')
    .addColumn('node_id', 'integer', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('pid', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('floor_id', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('node_leases').execute();
}
