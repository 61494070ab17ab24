// The store's part of stored files: the catalogue of objects (the blob store
// holds only bytes) and the bookkeeping of multipart uploads.

import type { MultipartUpload, StoredFile, UploadedPart } from './model.ts';

export interface FileRepo {
  /**
   * Inserts a file row (usually pending: it reserves the key). Fails with
   * `conflict` when the app already has a file, pending or ready, at that key:
   * the unique (app, key) constraint is what makes one upload win a race.
   */
  insert(file: StoredFile): Promise<void>;
  get(id: number): Promise<StoredFile | undefined>;
  getByKey(appId: number, key: string): Promise<StoredFile | undefined>;
  /** pending → ready with the stored bytes' facts; false when the row is gone or not pending. */
  markReady(id: number, facts: { size: number; etag: string; contentType: string; updatedAt: number }): Promise<boolean>;
  /** false when it was already gone. */
  delete(id: number): Promise<boolean>;
  /** Pending reservations that lapsed before `now`, oldest first. */
  listLapsed(now: number, limit: number): Promise<StoredFile[]>;
}

export interface UploadRepo {
  insert(upload: MultipartUpload): Promise<void>;
  get(id: number): Promise<MultipartUpload | undefined>;
  /** Removes the upload and its parts; false when it was already gone. */
  delete(id: number): Promise<boolean>;
  /** Records a part; a part number sent again replaces the earlier record. */
  putPart(part: UploadedPart): Promise<void>;
  parts(uploadId: number): Promise<UploadedPart[]>;
  /** Uploads started before `before`, oldest first. */
  listStartedBefore(before: number, limit: number): Promise<MultipartUpload[]>;
}
