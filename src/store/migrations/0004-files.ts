import type { Kysely } from 'kysely';

// Stored files (the catalogue; bytes are in the blob store) and multipart
// uploads. The unique (app_id, key) constraint is what reserves a key.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('files')
    .addColumn('id', 'bigint', (c) => c.primaryKey())
    .addColumn('app_id', 'bigint', (c) => c.notNull().references('apps.id'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'bigint', (c) => c.references('users.id'))
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('etag', 'text', (c) => c.notNull())
    .addColumn('visibility', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('pending_until', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('files_app_key', ['app_id', 'key'])
    .execute();
  await db.schema.createIndex('files_pending').on('files').columns(['status', 'pending_until']).execute();

  await db.schema
    .createTable('uploads')
    .addColumn('id', 'bigint', (c) => c.primaryKey())
    .addColumn('app_id', 'bigint', (c) => c.notNull().references('apps.id'))
    .addColumn('file_id', 'bigint', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'bigint', (c) => c.references('users.id'))
    .addColumn('storage_upload_id', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('uploads_created').on('uploads').column('created_at').execute();

  await db.schema
    .createTable('upload_parts')
    .addColumn('upload_id', 'bigint', (c) => c.notNull())
    .addColumn('part_number', 'integer', (c) => c.notNull())
    .addColumn('etag', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('upload_parts_pk', ['upload_id', 'part_number'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('upload_parts').execute();
  await db.schema.dropTable('uploads').execute();
  await db.schema.dropTable('files').execute();
}
