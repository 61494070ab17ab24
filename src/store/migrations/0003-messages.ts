import type { Kysely } from 'kysely';

// Messages are stored once per conversation. Uniqueness carries the
// guarantees: (conversation, seq) makes seq unique, (conversation, sender,
// client_id) makes a resend idempotent even across processes, and the single
// message_stream row orders every write (see src/store/repos/messages.ts).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('conversations')
    .addColumn('id', 'bigint', (c) => c.primaryKey())
    .addColumn('app_id', 'bigint', (c) => c.notNull().references('apps.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('group_id', 'bigint')
    .addColumn('user_a', 'bigint', (c) => c.references('users.id'))
    .addColumn('user_b', 'bigint', (c) => c.references('users.id'))
    .addColumn('last_seq', 'bigint', (c) => c.notNull())
    .addColumn('last_pos', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('conversations_group', ['app_id', 'group_id'])
    .addUniqueConstraint('conversations_pair', ['app_id', 'user_a', 'user_b'])
    .execute();
  await db.schema.createIndex('conversations_user_b').on('conversations').columns(['user_b', 'last_pos']).execute();
  await db.schema.createIndex('conversations_user_a').on('conversations').columns(['user_a', 'last_pos']).execute();

  await db.schema
    .createTable('messages')
    .addColumn('id', 'bigint', (c) => c.primaryKey())
    .addColumn('app_id', 'bigint', (c) => c.notNull())
    .addColumn('conversation_id', 'bigint', (c) => c.notNull().references('conversations.id'))
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('pos', 'bigint', (c) => c.notNull())
    .addColumn('sender_id', 'bigint')
    .addColumn('client_id', 'text')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('ext', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .addColumn('revoked_by', 'bigint')
    .addUniqueConstraint('messages_conversation_seq', ['conversation_id', 'seq'])
    .addUniqueConstraint('messages_client_id', ['conversation_id', 'sender_id', 'client_id'])
    .execute();
  await db.schema.createIndex('messages_conversation_pos').on('messages').columns(['conversation_id', 'pos']).execute();

  await db.schema
    .createTable('message_stream')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('last_pos', 'bigint', (c) => c.notNull())
    .execute();
  await db.insertInto('message_stream' as never).values({ id: 1, last_pos: 0 } as never).execute();

  await db.schema
    .createTable('read_positions')
    .addColumn('conversation_id', 'bigint', (c) => c.notNull().references('conversations.id'))
    .addColumn('user_id', 'bigint', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('read_positions_pk', ['conversation_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('message_focus')
    .addColumn('message_id', 'bigint', (c) => c.notNull().references('messages.id'))
    .addColumn('user_id', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('message_focus_pk', ['message_id', 'user_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['message_focus', 'read_positions', 'message_stream', 'messages', 'conversations']) await db.schema.dropTable(t).execute();
}
