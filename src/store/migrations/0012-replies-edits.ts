import type { Kysely } from 'kysely';

// Replies and edits (docs/messages.md). A reply names the message it quotes
// (`reply_to`) and, optionally, its thread's root (`thread_root`, dtalk's
// `reference.topic`); the quote itself is read from the quoted row when the
// reply is read, so a later edit or revoke of the quoted message shows in
// every reply without rewriting them. An edit replaces the body in place
// (same id and seq, new stream position) and counts itself.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('messages').addColumn('reply_to', 'bigint').execute();
  await db.schema.alterTable('messages').addColumn('thread_root', 'bigint').execute();
  await db.schema.alterTable('messages').addColumn('edited_at', 'bigint').execute();
  await db.schema.alterTable('messages').addColumn('edit_count', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of ['edit_count', 'edited_at', 'thread_root', 'reply_to']) await db.schema.alterTable('messages').dropColumn(column).execute();
}
