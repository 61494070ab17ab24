import type { Kysely, Selectable } from 'kysely';
import { fail } from '../../core/errors.ts';
import type { FileRepo, UploadRepo } from '../../core/files/ports.ts';
import type { FileStatus, MultipartUpload, StoredFile, Visibility } from '../../core/files/model.ts';
import type { Database } from '../schema.ts';
import type { FilesTable, UploadsTable } from '../tables/files.ts';
import { isUniqueViolation } from './errors.ts';

const toFile = (r: Selectable<FilesTable>): StoredFile => ({
  id: r.id,
  appId: r.app_id,
  key: r.key,
  ownerId: r.owner_id,
  contentType: r.content_type,
  size: r.size,
  etag: r.etag,
  visibility: r.visibility as Visibility,
  status: r.status as FileStatus,
  pendingUntil: r.pending_until,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toUpload = (r: Selectable<UploadsTable>): MultipartUpload => ({
  id: r.id,
  appId: r.app_id,
  fileId: r.file_id,
  key: r.key,
  ownerId: r.owner_id,
  storageUploadId: r.storage_upload_id,
  contentType: r.content_type,
  createdAt: r.created_at,
});

export function fileRepo(db: Kysely<Database>): FileRepo {
  return {
    async insert(f) {
      try {
        await db
          .insertInto('files')
          .values({
            id: f.id,
            app_id: f.appId,
            key: f.key,
            owner_id: f.ownerId,
            content_type: f.contentType,
            size: f.size,
            etag: f.etag,
            visibility: f.visibility,
            status: f.status,
            pending_until: f.pendingUntil,
            created_at: f.createdAt,
            updated_at: f.updatedAt,
          })
          .execute();
      } catch (e) {
        if (isUniqueViolation(e)) throw fail('conflict', `a file already exists at key "${f.key}"`, { key: f.key });
        throw e;
      }
    },
    async get(id) {
      const r = await db.selectFrom('files').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toFile(r);
    },
    async getByKey(appId, key) {
      const r = await db.selectFrom('files').selectAll().where('app_id', '=', appId).where('key', '=', key).executeTakeFirst();
      return r && toFile(r);
    },
    async markReady(id, facts) {
      const r = await db
        .updateTable('files')
        .set({ status: 'ready', pending_until: null, size: facts.size, etag: facts.etag, content_type: facts.contentType, updated_at: facts.updatedAt })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async delete(id) {
      const r = await db.deleteFrom('files').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    async listLapsed(now, limit) {
      const rows = await db.selectFrom('files').selectAll().where('status', '=', 'pending').where('pending_until', '<', now).orderBy('pending_until').limit(limit).execute();
      return rows.map(toFile);
    },
  };
}

export function uploadRepo(db: Kysely<Database>): UploadRepo {
  return {
    async insert(u) {
      await db
        .insertInto('uploads')
        .values({ id: u.id, app_id: u.appId, file_id: u.fileId, key: u.key, owner_id: u.ownerId, storage_upload_id: u.storageUploadId, content_type: u.contentType, created_at: u.createdAt })
        .execute();
    },
    async get(id) {
      const r = await db.selectFrom('uploads').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toUpload(r);
    },
    async delete(id) {
      await db.deleteFrom('upload_parts').where('upload_id', '=', id).execute();
      const r = await db.deleteFrom('uploads').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    async putPart(p) {
      await db
        .insertInto('upload_parts')
        .values({ upload_id: p.uploadId, part_number: p.partNumber, etag: p.etag, size: p.size })
        .onConflict((oc) => oc.columns(['upload_id', 'part_number']).doUpdateSet({ etag: p.etag, size: p.size }))
        .execute();
    },
    async parts(uploadId) {
      const rows = await db.selectFrom('upload_parts').selectAll().where('upload_id', '=', uploadId).orderBy('part_number').execute();
      return rows.map((r) => ({ uploadId: r.upload_id, partNumber: r.part_number, etag: r.etag, size: r.size }));
    },
    async listStartedBefore(before, limit) {
      const rows = await db.selectFrom('uploads').selectAll().where('created_at', '<', before).orderBy('created_at').limit(limit).execute();
      return rows.map(toUpload);
    },
  };
}
