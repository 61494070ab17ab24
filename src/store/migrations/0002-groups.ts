import type { Kysely } from 'kysely';

// The group model of every dialect (see src/core/groups/model.ts). Unique
// constraints carry the race-sensitive rules: one membership per user, one
// business binding per (app, type, id), one mark id per app, one application
// per applicant and group, one invitation per inviter, invitee and group.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('groups')
    .addColumn('id', 'bigint', (c) => c.primaryKey())
    .addColumn('app_id', 'bigint', (c) => c.notNull().references('apps.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('public_name', 'text', (c) => c.notNull())
    .addColumn('avatar', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('notice', 'text', (c) => c.notNull())
    .addColumn('ext', 'text', (c) => c.notNull())
    .addColumn('attrs', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'bigint', (c) => c.notNull())
    .addColumn('creator_id', 'bigint', (c) => c.notNull())
    .addColumn('mark_id', 'text', (c) => c.notNull())
    .addColumn('crypto_key', 'text', (c) => c.notNull())
    .addColumn('business_type', 'text')
    .addColumn('business_id', 'text')
    .addColumn('capacity', 'integer', (c) => c.notNull())
    .addColumn('member_count', 'integer', (c) => c.notNull())
    .addColumn('join_policy', 'text', (c) => c.notNull())
    .addColumn('invite_policy', 'text', (c) => c.notNull())
    .addColumn('member_modify', 'integer', (c) => c.notNull())
    .addColumn('read_receipts', 'integer', (c) => c.notNull())
    .addColumn('history_visible', 'integer', (c) => c.notNull())
    .addColumn('allow_friending', 'integer', (c) => c.notNull())
    .addColumn('is_public', 'integer', (c) => c.notNull())
    .addColumn('admins_may_leave', 'integer', (c) => c.notNull())
    .addColumn('hide_member_info', 'integer', (c) => c.notNull())
    .addColumn('mute_all_until', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('dismissed_at', 'bigint')
    .addUniqueConstraint('groups_app_mark', ['app_id', 'mark_id'])
    // NULLs never collide, so unbound groups are unconstrained on both engines.
    .addUniqueConstraint('groups_app_business', ['app_id', 'business_type', 'business_id'])
    .execute();

  await db.schema
    .createTable('group_members')
    .addColumn('group_id', 'bigint', (c) => c.notNull().references('groups.id'))
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('joined_at', 'bigint', (c) => c.notNull())
    .addColumn('inviter_id', 'bigint')
    .addColumn('muted_until', 'bigint')
    .addColumn('message_mute_mode', 'integer', (c) => c.notNull())
    .addColumn('push_mode', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('group_members_pk', ['group_id', 'user_id'])
    .execute();
  await db.schema.createIndex('group_members_user').on('group_members').columns(['user_id', 'group_id']).execute();
  await db.schema.createIndex('group_members_joined').on('group_members').columns(['group_id', 'joined_at', 'user_id']).execute();

  await db.schema
    .createTable('group_blocks')
    .addColumn('group_id', 'bigint', (c) => c.notNull().references('groups.id'))
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('blocked_by', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('group_blocks_pk', ['group_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('group_applications')
    .addColumn('id', 'bigint', (c) => c.primaryKey())
    .addColumn('app_id', 'bigint', (c) => c.notNull())
    .addColumn('group_id', 'bigint', (c) => c.notNull().references('groups.id'))
    .addColumn('applicant_id', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('inviter_id', 'bigint')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('handled_by', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('group_applications_one', ['group_id', 'applicant_id'])
    .execute();

  await db.schema
    .createTable('group_invitations')
    .addColumn('id', 'bigint', (c) => c.primaryKey())
    .addColumn('app_id', 'bigint', (c) => c.notNull())
    .addColumn('group_id', 'bigint', (c) => c.notNull().references('groups.id'))
    .addColumn('inviter_id', 'bigint', (c) => c.notNull())
    .addColumn('invitee_id', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('group_invitations_one', ['group_id', 'inviter_id', 'invitee_id'])
    .execute();
  await db.schema.createIndex('group_invitations_invitee').on('group_invitations').columns(['invitee_id', 'id']).execute();

  await db.schema
    .createTable('group_announcements')
    .addColumn('id', 'bigint', (c) => c.primaryKey())
    .addColumn('app_id', 'bigint', (c) => c.notNull())
    .addColumn('group_id', 'bigint', (c) => c.notNull().references('groups.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('author_id', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('group_announcements_group').on('group_announcements').columns(['group_id', 'id']).execute();

  await db.schema
    .createTable('group_files')
    .addColumn('id', 'bigint', (c) => c.primaryKey())
    .addColumn('app_id', 'bigint', (c) => c.notNull())
    .addColumn('group_id', 'bigint', (c) => c.notNull().references('groups.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('object_key', 'text')
    .addColumn('uploader_id', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('group_files_group').on('group_files').columns(['group_id', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['group_files', 'group_announcements', 'group_invitations', 'group_applications', 'group_blocks', 'group_members', 'groups']) {
    await db.schema.dropTable(t).execute();
  }
}
