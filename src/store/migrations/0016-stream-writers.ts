import type { Kysely } from 'kysely';

// Several writers on one PostgreSQL database: a write claims its stream
// positions in a short transaction of its own (one row here, committed with
// the head's advance), writes, and deletes the claim in its own transaction.
// Readers never read beyond the lowest claim still standing. See
// src/store/repos/message-stream.ts. SQLite has one writer and never uses it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('message_stream_claims')
    .addColumn('pos_from', 'bigint', (c) => c.primaryKey())
    .addColumn('pos_to', 'bigint', (c) => c.notNull())
    .addColumn('claimed_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('message_stream_claims').execute();
}
