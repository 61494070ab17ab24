import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Search on PostgreSQL checks the searcher's conversations on the index row
// itself (issue 16, docs/search.md): message_search carries each message's
// conversation, so a candidate outside the scope is dropped without fetching
// its message. The planner walks message_search newest first (or reads the
// GIN index for a rare term) and used to join every candidate to `messages`
// only to find it in someone else's conversation — 9 in 10 of them for a
// user in a tenth of the app's groups. A composite GIN index
// (conversation_id, terms) with btree_gin was measured too and was no faster
// (bench/search/README.md), so the terms-only GIN index stays and no
// extension is needed. SQLite is unchanged: FTS5 streams matches newest first.
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`ALTER TABLE message_search ADD COLUMN conversation_id bigint`.execute(db);
  await sql`UPDATE message_search s SET conversation_id = m.conversation_id FROM messages m WHERE m.id = s.message_id`.execute(db);
  await sql`DELETE FROM message_search WHERE conversation_id IS NULL`.execute(db); // its message is gone: nothing to find
  await sql`ALTER TABLE message_search ALTER COLUMN conversation_id SET NOT NULL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`ALTER TABLE message_search DROP COLUMN conversation_id`.execute(db);
}
