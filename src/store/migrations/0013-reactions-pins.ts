import type { Kysely } from 'kysely';

// Reactions and pins (docs/messages.md): annotations of a message, kept in
// their own tables beside it (a reaction is not a message and takes no seq).
// - message_reactions: one row per (message, emoji, user); the counts a
//   message shows are a GROUP BY over its rows, and "who reacted" pages the
//   (message, emoji) prefix in reaction order.
// - message_pins: at most one pin per message; the pinned list of a
//   conversation reads (conversation, pinned_at) newest first.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('message_reactions')
    .addColumn('message_id', 'bigint', (c) => c.notNull().references('messages.id'))
    .addColumn('emoji', 'text', (c) => c.notNull())
    .addColumn('user_id', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('message_reactions_pk', ['message_id', 'emoji', 'user_id'])
    .execute();
  await db.schema.createIndex('message_reactions_user').on('message_reactions').columns(['message_id', 'user_id']).execute();

  await db.schema
    .createTable('message_pins')
    .addColumn('message_id', 'bigint', (c) => c.primaryKey().references('messages.id'))
    .addColumn('conversation_id', 'bigint', (c) => c.notNull().references('conversations.id'))
    .addColumn('pinned_by', 'bigint', (c) => c.notNull())
    .addColumn('pinned_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('message_pins_conversation').on('message_pins').columns(['conversation_id', 'pinned_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('message_pins').execute();
  await db.schema.dropTable('message_reactions').execute();
}
