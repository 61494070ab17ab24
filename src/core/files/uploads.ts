// Multipart uploads (init → parts 1..10000 → complete with the ETag list, or
// abort) and temporary upload credentials (a client uploads straight to the
// blob store with a presigned POST, or to Parley's own direct route with a
// Parley-signed credential). Every path reserves the key first (reserve.ts).

import type { Readable } from 'node:stream';
import { fail } from '../errors.ts';
import type { Principal } from '../model.ts';
import type { Files, FilesDeps, NewObject } from './files.ts';
import { checkVisibility } from './files.ts';
import { generateKey, validateContentType, validateKey } from './keys.ts';
import { limitBytes } from './limits.ts';
import { fileView, type FileView, type MultipartUpload } from './model.ts';
import { blobKey, release, reserve } from './reserve.ts';
import { decodeUploadCredential, encodeUploadCredential } from './signing.ts';

const MAX_PART_NUMBER = 10_000;

export interface UploadView {
  id: number;
  fileId: number;
  key: string;
  contentType: string;
  createdAt: number;
  /** After this the upload is aborted by cleanup. */
  expiresAt: number;
  minPartSize: number;
  maxPartSize: number;
}

export interface PartView {
  uploadId: number;
  key: string;
  partNumber: number;
  etag: string;
  size: number;
}

/** A short-lived grant to store one object at `key` without a bearer token. */
export type UploadCredential = {
  fileId: number;
  key: string;
  expiresAt: number;
  maxBytes: number;
  contentType: string;
} & (
  | {
      /** Parley's own route accepts it: send the bytes with `method` to `url` (a path under this server) with `headers`. */
      kind: 'parley';
      method: 'PUT';
      url: string;
      headers: Record<string, string>;
      token: string;
    }
  | {
      /** The blob store accepts it directly: a browser-style form POST of `fields` plus the file last, then confirm at `confirmUrl`. */
      kind: 'presigned-post';
      method: 'POST';
      url: string;
      fields: Record<string, string>;
      confirmUrl: string;
    }
);

export const UPLOAD_CREDENTIAL_HEADER = 'x-parley-upload-credential';

export class Uploads {
  readonly #d: FilesDeps;
  readonly #files: Files;
  constructor(deps: FilesDeps, files: Files) {
    this.#d = deps;
    this.#files = files;
  }

  async init(p: Principal, input: Omit<NewObject, 'size'>): Promise<UploadView> {
    const { store, clock, ids, blobs, settings } = this.#d;
    const key = input.key === undefined ? generateKey(input.filename) : validateKey(input.key);
    const contentType = validateContentType(input.contentType);
    const visibility = checkVisibility(input.visibility, 'app');
    const file = await reserve(this.#d, { appId: p.appId, key, ownerId: p.userId, contentType, visibility, holdSeconds: settings.multipartMaxAgeSeconds });
    let storageUploadId: string;
    try {
      storageUploadId = await blobs.createMultipart(blobKey(file), { contentType });
    } catch (e) {
      await release(this.#d, file);
      throw e;
    }
    const upload: MultipartUpload = { id: ids.next(), appId: p.appId, fileId: file.id, key, ownerId: p.userId, storageUploadId, contentType, createdAt: clock.now() };
    await store.uploads.insert(upload);
    return this.#view(upload);
  }

  async get(p: Principal, uploadId: number, key?: string): Promise<UploadView & { parts: PartView[] }> {
    const u = await this.#own(p, uploadId, key);
    const parts = await this.#d.store.uploads.parts(u.id);
    return { ...this.#view(u), parts: parts.map((x) => ({ uploadId: u.id, key: u.key, partNumber: x.partNumber, etag: x.etag, size: x.size })) };
  }

  async uploadPart(p: Principal, uploadId: number, partNumber: number, body: Readable, opts: { size?: number; key?: string } = {}): Promise<PartView> {
    const { maxPartSize } = this.#d.settings;
    if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PART_NUMBER) throw fail('invalid_argument', `partNumber must be 1..${MAX_PART_NUMBER}`);
    if (opts.size !== undefined && opts.size > maxPartSize) throw fail('object_too_large', `a part is larger than ${maxPartSize} bytes`, { maxBytes: maxPartSize });
    const u = await this.#own(p, uploadId, opts.key);
    const info = await this.#d.blobs.uploadPart(blobKey(u), u.storageUploadId, partNumber, limitBytes(body, maxPartSize, 'part', this.#d.settings.uploadIdleMs), opts.size);
    await this.#d.store.uploads.putPart({ uploadId: u.id, partNumber, etag: info.etag, size: info.size });
    return { uploadId: u.id, key: u.key, partNumber, etag: info.etag, size: info.size };
  }

  /** Joins the listed parts (ascending part numbers, each with the ETag its upload returned) into the file. */
  async complete(p: Principal, uploadId: number, list: readonly { partNumber: number; etag: string }[], key?: string): Promise<FileView> {
    const { store, blobs, clock, settings } = this.#d;
    const u = await this.#own(p, uploadId, key);
    if (list.length === 0) throw fail('invalid_argument', 'parts must list at least one part');
    const sorted = [...list].sort((a, b) => a.partNumber - b.partNumber);
    const recorded = new Map((await store.uploads.parts(u.id)).map((x) => [x.partNumber, x]));
    let total = 0;
    sorted.forEach((part, i) => {
      if (i > 0 && part.partNumber === sorted[i - 1].partNumber) throw fail('invalid_argument', `part ${part.partNumber} is listed twice`);
      const r = recorded.get(part.partNumber);
      if (!r || r.etag !== part.etag.replaceAll('"', '')) throw fail('invalid_argument', `part ${part.partNumber} was not uploaded with that ETag`, { partNumber: part.partNumber });
      if (i < sorted.length - 1 && r.size < settings.minPartSize) throw fail('part_too_small', `part ${part.partNumber} is smaller than ${settings.minPartSize} bytes; only the last part may be`, { partNumber: part.partNumber, minBytes: settings.minPartSize });
      total += r.size;
    });
    if (total > settings.maxObjectSize) throw fail('object_too_large', `the object would be larger than ${settings.maxObjectSize} bytes`, { maxBytes: settings.maxObjectSize });
    const file = await store.files.get(u.fileId);
    if (!file || file.status !== 'pending') throw fail('upload_not_found', `upload ${uploadId} does not exist`);
    const info = await blobs.completeMultipart(blobKey(u), u.storageUploadId, sorted);
    const facts = { size: info.size, etag: info.etag, contentType: u.contentType, updatedAt: clock.now() };
    const ready = await store.transaction(async (tx) => {
      const ok = await tx.files.markReady(file.id, facts);
      await tx.uploads.delete(u.id);
      return ok;
    });
    if (!ready) {
      await blobs.delete(blobKey(u));
      throw fail('upload_not_found', `upload ${uploadId} was aborted`);
    }
    return fileView({ ...file, ...facts, status: 'ready', pendingUntil: null });
  }

  async abort(p: Principal, uploadId: number, key?: string): Promise<void> {
    const u = await this.#own(p, uploadId, key);
    await this.#drop(u);
  }

  /**
   * A temporary credential to store one object. With a blob store that takes
   * uploads directly (S3) and `via` not 'parley', a presigned POST the client
   * sends to the store, then confirms; otherwise a Parley-signed token for
   * PUT /v1/uploads/direct. Either way the key is reserved now.
   */
  async issueCredential(p: Principal, input: Omit<NewObject, 'size'> & { maxBytes?: number; via?: 'store' | 'parley' }): Promise<UploadCredential> {
    const { store, clock, blobs, settings } = this.#d;
    const key = input.key === undefined ? generateKey(input.filename) : validateKey(input.key);
    const contentType = validateContentType(input.contentType);
    const visibility = checkVisibility(input.visibility, 'app');
    const maxBytes = input.maxBytes ?? settings.maxObjectSize;
    if (!Number.isInteger(maxBytes) || maxBytes < 1 || maxBytes > settings.maxObjectSize) throw fail('invalid_argument', `maxBytes must be 1..${settings.maxObjectSize}`);
    const ttl = settings.uploadCredentialTtlSeconds;
    const app = await store.apps.get(p.appId);
    if (!app) throw fail('app_not_found', `app ${p.appId} does not exist`);
    const file = await reserve(this.#d, { appId: p.appId, key, ownerId: p.userId, contentType, visibility, holdSeconds: ttl + settings.multipartMaxAgeSeconds });
    const expiresAt = clock.now() + ttl * 1000;
    const base = { fileId: file.id, key, expiresAt, maxBytes, contentType };
    if (blobs.direct && input.via !== 'parley') {
      const post = await blobs.direct.presignPost({ key: blobKey(file), contentType, maxBytes, expiresInSeconds: ttl });
      return { ...base, kind: 'presigned-post', method: 'POST', url: post.url, fields: post.fields, confirmUrl: `/v1/uploads/direct/${file.id}/confirm` };
    }
    const token = encodeUploadCredential(app.secret, { a: p.appId, f: file.id, k: key, m: maxBytes, e: expiresAt });
    return { ...base, kind: 'parley', method: 'PUT', url: '/v1/uploads/direct', headers: { [UPLOAD_CREDENTIAL_HEADER]: token }, token };
  }

  /** Parley's direct route: the bytes of the object a credential reserved. Single use. */
  async uploadWithCredential(token: string | undefined, body: Readable, opts: { size?: number } = {}): Promise<FileView> {
    const { store, clock } = this.#d;
    const decoded = token ? decodeUploadCredential(token) : undefined;
    if (!decoded) throw fail('unauthenticated', 'an upload credential is required');
    const app = await store.apps.get(decoded.claims.a);
    if (!app || !decoded.check(app.secret)) throw fail('unauthenticated', 'the upload credential is not valid');
    if (decoded.claims.e < clock.now()) throw fail('token_expired', 'the upload credential has expired');
    const file = await store.files.get(decoded.claims.f);
    if (!file || file.appId !== decoded.claims.a || file.key !== decoded.claims.k) throw fail('upload_not_found', 'the reserved upload no longer exists');
    if (file.status !== 'pending') throw fail('conflict', 'the upload credential has already been used');
    const max = Math.min(decoded.claims.m, this.#d.settings.maxObjectSize);
    if (opts.size !== undefined && opts.size > max) throw fail('object_too_large', `the object is larger than ${max} bytes`, { maxBytes: max });
    return this.#files.storeReserved(file, body, max);
  }

  /** After a presigned POST: checks the store has the bytes and makes the file ready. */
  async confirmDirect(p: Principal, fileId: number): Promise<FileView> {
    const { store, blobs, clock, settings } = this.#d;
    const file = await store.files.get(fileId);
    if (!file || file.appId !== p.appId || file.status !== 'pending') throw fail('upload_not_found', `no pending upload ${fileId}`);
    if (!(p.isAdmin || (p.userId !== null && p.userId === file.ownerId))) throw fail('forbidden', 'only the uploader may confirm an upload');
    const head = await blobs.head(blobKey(file));
    if (!head) throw fail('object_not_found', 'nothing has been uploaded for this credential yet');
    if (head.size > settings.maxObjectSize) {
      await blobs.delete(blobKey(file));
      await release(this.#d, file);
      throw fail('object_too_large', `the object is larger than ${settings.maxObjectSize} bytes`, { maxBytes: settings.maxObjectSize });
    }
    const facts = { size: head.size, etag: head.etag, contentType: file.contentType, updatedAt: clock.now() };
    if (!(await store.files.markReady(file.id, facts))) throw fail('upload_not_found', `no pending upload ${fileId}`);
    return fileView({ ...file, ...facts, status: 'ready', pendingUntil: null });
  }

  /**
   * Aborts multipart uploads older than the configured age and drops lapsed
   * reservations (credentials never used, uploads whose server died), with
   * whatever bytes they left. Safe to run on every node at once.
   */
  async cleanup(limit = 100): Promise<{ abortedUploads: number; releasedKeys: number }> {
    const { store, blobs, clock, settings } = this.#d;
    const now = clock.now();
    let abortedUploads = 0;
    for (const u of await store.uploads.listStartedBefore(now - settings.multipartMaxAgeSeconds * 1000, limit)) {
      await this.#drop(u);
      abortedUploads += 1;
    }
    let releasedKeys = 0;
    for (const f of await store.files.listLapsed(now, limit)) {
      if (await store.files.delete(f.id)) {
        await blobs.delete(blobKey(f));
        releasedKeys += 1;
      }
    }
    return { abortedUploads, releasedKeys };
  }

  async #drop(u: MultipartUpload): Promise<void> {
    await this.#d.blobs.abortMultipart(blobKey(u), u.storageUploadId);
    await this.#d.store.transaction(async (tx) => {
      await tx.uploads.delete(u.id);
      const f = await tx.files.get(u.fileId);
      if (f?.status === 'pending') await tx.files.delete(f.id);
    });
  }

  async #own(p: Principal, uploadId: number, key?: string): Promise<MultipartUpload> {
    const u = await this.#d.store.uploads.get(uploadId);
    if (!u || u.appId !== p.appId || (key !== undefined && key !== u.key)) throw fail('upload_not_found', `upload ${uploadId} does not exist`);
    if (!(p.isAdmin || (p.userId !== null && p.userId === u.ownerId))) throw fail('forbidden', 'only the uploader may continue an upload');
    return u;
  }

  #view(u: MultipartUpload): UploadView {
    const s = this.#d.settings;
    return { id: u.id, fileId: u.fileId, key: u.key, contentType: u.contentType, createdAt: u.createdAt, expiresAt: u.createdAt + s.multipartMaxAgeSeconds * 1000, minPartSize: s.minPartSize, maxPartSize: s.maxPartSize };
  }
}

