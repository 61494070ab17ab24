import type { Kysely } from 'kysely';

// Large groups (docs/groups.md, "Large groups"):
// - group switches: broadcast (only owners and admins post), whether members
//   may still react and reply under it, slow mode (seconds between one
//   member's messages), and the size above which join/leave notices are
//   folded into counts instead of listing people;
// - the member's last post time, claimed atomically by slow mode (a
//   conditional update, so it holds across processes);
// - indexes so a 100,000-member group answers its admin, muted and read
//   questions from an index range instead of walking every member row.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('groups').addColumn('broadcast', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('groups').addColumn('members_may_react', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  await db.schema.alterTable('groups').addColumn('slow_mode_seconds', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('groups').addColumn('notice_member_threshold', 'integer', (c) => c.notNull().defaultTo(500)).execute();
  await db.schema.alterTable('group_members').addColumn('last_posted_at', 'bigint').execute();
  await db.schema.createIndex('group_members_role').on('group_members').columns(['group_id', 'role']).execute();
  await db.schema.createIndex('group_members_muted').on('group_members').columns(['group_id', 'muted_until']).execute();
  await db.schema.createIndex('read_positions_seq').on('read_positions').columns(['conversation_id', 'seq', 'user_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('read_positions_seq').execute();
  await db.schema.dropIndex('group_members_muted').execute();
  await db.schema.dropIndex('group_members_role').execute();
  await db.schema.alterTable('group_members').dropColumn('last_posted_at').execute();
  for (const c of ['notice_member_threshold', 'slow_mode_seconds', 'members_may_react', 'broadcast']) await db.schema.alterTable('groups').dropColumn(c).execute();
}
