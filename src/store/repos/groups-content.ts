import type { Kysely, Selectable } from 'kysely';
import type { Announcement, GroupFile } from '../../core/groups/model.ts';
import type { AnnouncementRepo, GroupFileRepo } from '../../core/groups/ports.ts';
import type { Database } from '../schema.ts';
import type { GroupAnnouncementsTable, GroupFilesTable } from '../tables/groups.ts';

const toAnnouncement = (r: Selectable<GroupAnnouncementsTable>): Announcement => ({
  id: r.id,
  appId: r.app_id,
  groupId: r.group_id,
  title: r.title,
  content: r.content,
  authorId: r.author_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toFile = (r: Selectable<GroupFilesTable>): GroupFile => ({
  id: r.id,
  appId: r.app_id,
  groupId: r.group_id,
  name: r.name,
  size: r.size,
  type: r.type,
  url: r.url,
  objectKey: r.object_key,
  uploaderId: r.uploader_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export function announcementRepo(db: Kysely<Database>): AnnouncementRepo {
  return {
    async insert(a) {
      await db
        .insertInto('group_announcements')
        .values({ id: a.id, app_id: a.appId, group_id: a.groupId, title: a.title, content: a.content, author_id: a.authorId, created_at: a.createdAt, updated_at: a.updatedAt })
        .execute();
    },
    async get(id) {
      const r = await db.selectFrom('group_announcements').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toAnnouncement(r);
    },
    async update(id, p) {
      const set: Partial<Pick<GroupAnnouncementsTable, 'title' | 'content' | 'updated_at'>> = {};
      if (p.title !== undefined) set.title = p.title;
      if (p.content !== undefined) set.content = p.content;
      if (p.updatedAt !== undefined) set.updated_at = p.updatedAt;
      if (Object.keys(set).length === 0) return;
      await db.updateTable('group_announcements').set(set).where('id', '=', id).execute();
    },
    async delete(id) {
      const r = await db.deleteFrom('group_announcements').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    async list(groupId, beforeId, limit) {
      const rows = await db.selectFrom('group_announcements').selectAll().where('group_id', '=', groupId).where('id', '<', beforeId).orderBy('id', 'desc').limit(limit).execute();
      return rows.map(toAnnouncement);
    },
    async count(groupId) {
      const r = await db.selectFrom('group_announcements').select((eb) => eb.fn.countAll<number>().as('n')).where('group_id', '=', groupId).executeTakeFirstOrThrow();
      return Number(r.n);
    },
  };
}

export function groupFileRepo(db: Kysely<Database>): GroupFileRepo {
  return {
    async insert(f) {
      await db
        .insertInto('group_files')
        .values({
          id: f.id,
          app_id: f.appId,
          group_id: f.groupId,
          name: f.name,
          size: f.size,
          type: f.type,
          url: f.url,
          object_key: f.objectKey,
          uploader_id: f.uploaderId,
          created_at: f.createdAt,
          updated_at: f.updatedAt,
        })
        .execute();
    },
    async get(id) {
      const r = await db.selectFrom('group_files').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toFile(r);
    },
    async update(id, p) {
      const set: Partial<Pick<GroupFilesTable, 'name' | 'updated_at'>> = {};
      if (p.name !== undefined) set.name = p.name;
      if (p.updatedAt !== undefined) set.updated_at = p.updatedAt;
      if (Object.keys(set).length === 0) return;
      await db.updateTable('group_files').set(set).where('id', '=', id).execute();
    },
    async delete(id) {
      const r = await db.deleteFrom('group_files').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    async list(groupId, beforeId, limit) {
      const rows = await db.selectFrom('group_files').selectAll().where('group_id', '=', groupId).where('id', '<', beforeId).orderBy('id', 'desc').limit(limit).execute();
      return rows.map(toFile);
    },
    async count(groupId) {
      const r = await db.selectFrom('group_files').select((eb) => eb.fn.countAll<number>().as('n')).where('group_id', '=', groupId).executeTakeFirstOrThrow();
      return Number(r.n);
    },
  };
}
