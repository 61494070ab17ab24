import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Message search (src/core/search, docs/search.md). Core hands each engine the
// terms of a message already tokenised (CJK bigrams, folded Latin words), so
// both engines store the same terms at the same positions and answer the same.
// - SQLite: a contentless FTS5 table (rowid = message id; no copy of the
//   text), whose unicode61 tokenizer only re-splits the space-joined terms.
//   Marks (M*) are token characters, so Thai or Devanagari words stay whole.
// - PostgreSQL: a tsvector per message written literally (term:position, no
//   parser or dictionary in between) with a GIN index.
export async function up(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await db.schema
      .createTable('message_search')
      .addColumn('message_id', 'bigint', (c) => c.primaryKey())
      .addColumn('terms', sql`tsvector`, (c) => c.notNull())
      .execute();
    await sql`CREATE INDEX message_search_terms ON message_search USING gin (terms)`.execute(db);
    return;
  }
  await sql`CREATE VIRTUAL TABLE message_search USING fts5(terms, content='', contentless_delete=1, tokenize="unicode61 remove_diacritics 2 categories 'L* N* Co M*'")`.execute(db);
  // The index's vocabulary: a prefix query is expanded into the terms it covers (sqlite-search.ts).
  await sql`CREATE VIRTUAL TABLE message_search_terms USING fts5vocab(message_search, 'row')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) await sql`DROP TABLE message_search_terms`.execute(db);
  await sql`DROP TABLE message_search`.execute(db);
}
