// Stored files: single uploads (streamed), reads with authorization, signed
// expiring download URLs, deletion. Multipart uploads and temporary upload
// credentials are in uploads.ts; both share the reservation in reserve.ts.

import type { Readable } from 'node:stream';
import type { BlobStore, ByteRange } from '../blobs.ts';
import type { Clock } from '../clock.ts';
import { fail } from '../errors.ts';
import type { IdGenerator } from '../ids.ts';
import type { Principal } from '../model.ts';
import type { Store } from '../ports.ts';
import { canManage, canRead } from './access.ts';
import { generateKey, validateContentType, validateKey } from './keys.ts';
import { limitBytes } from './limits.ts';
import { fileView, type FileView, type StoredFile, type Visibility } from './model.ts';
import { blobKey, release, reserve } from './reserve.ts';
import { downloadPayload, sign, verify } from './signing.ts';

export interface FilesSettings {
  maxObjectSize: number;
  maxPartSize: number;
  minPartSize: number;
  downloadUrlTtlSeconds: number;
  uploadCredentialTtlSeconds: number;
  multipartMaxAgeSeconds: number;
  /** An upload body that brings no byte for this long fails (0: never). */
  uploadIdleMs: number;
}

export interface FilesDeps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  blobs: BlobStore;
  settings: FilesSettings;
}

export interface NewObject {
  /** Where to store it; generated (`f/<random>[/<filename>]`) when absent. */
  key?: string;
  filename?: string;
  contentType?: string;
  visibility?: Visibility;
  /** Length the client declared (Content-Length), checked before reading. */
  size?: number;
  /** false: an empty body is refused (empty_file) and nothing is kept. Default true. */
  allowEmpty?: boolean;
}

/** How a download is authorised: a caller, a signed URL, or nobody (public files only). */
export type DownloadGrant = { principal: Principal } | { signature: string; expiresAt: number } | { anonymous: true };

const VISIBILITIES: readonly Visibility[] = ['private', 'app', 'public'];

export function checkVisibility(v: string | undefined, fallback: Visibility): Visibility {
  if (v === undefined) return fallback;
  if (!(VISIBILITIES as readonly string[]).includes(v)) throw fail('invalid_argument', `visibility must be one of ${VISIBILITIES.join(', ')}`);
  return v as Visibility;
}

export class Files {
  readonly #d: FilesDeps;
  constructor(deps: FilesDeps) {
    this.#d = deps;
  }

  get settings(): FilesSettings {
    return this.#d.settings;
  }

  /**
   * Stores `body` at a new key, streaming it to the blob store. The key is
   * reserved first (so two uploads to one key cannot both win), and only
   * becomes readable when every byte is stored; a failed upload releases it.
   * Keys are write-once: delete a file before storing another at its key.
   */
  async upload(p: Principal, input: NewObject, body: Readable): Promise<FileView> {
    const { maxObjectSize } = this.#d.settings;
    const key = input.key === undefined ? generateKey(input.filename) : validateKey(input.key);
    const contentType = validateContentType(input.contentType);
    const visibility = checkVisibility(input.visibility, 'app');
    if (input.size !== undefined && input.size > maxObjectSize) throw fail('object_too_large', `the object is larger than ${maxObjectSize} bytes`, { maxBytes: maxObjectSize });
    const file = await reserve(this.#d, { appId: p.appId, key, ownerId: p.userId, contentType, visibility, holdSeconds: this.#d.settings.multipartMaxAgeSeconds });
    return this.storeReserved(file, body, maxObjectSize, input.allowEmpty ?? true);
  }

  /** Streams the bytes of a reserved (pending) file and makes it ready; releases the key on failure. */
  async storeReserved(file: StoredFile, body: Readable, maxBytes: number, allowEmpty = true): Promise<FileView> {
    const { blobs, store, clock } = this.#d;
    try {
      const info = await blobs.put(blobKey(file), limitBytes(body, maxBytes, 'object', this.#d.settings.uploadIdleMs), { contentType: file.contentType });
      if (info.size === 0 && !allowEmpty) {
        await blobs.delete(blobKey(file));
        throw fail('empty_file', 'the file is empty');
      }
      const facts = { size: info.size, etag: info.etag, contentType: file.contentType, updatedAt: clock.now() };
      if (!(await store.files.markReady(file.id, facts))) throw fail('conflict', 'the upload was cancelled while it ran');
      return fileView({ ...file, ...facts, status: 'ready', pendingUntil: null });
    } catch (e) {
      await release(this.#d, file);
      throw e;
    }
  }

  async get(p: Principal | null, id: number): Promise<FileView> {
    return fileView(await this.#readable(p, await this.#d.store.files.get(id)));
  }

  async getByKey(p: Principal, key: string): Promise<FileView> {
    return fileView(await this.#readable(p, await this.#d.store.files.getByKey(p.appId, validateKey(key))));
  }

  /**
   * The file, if the grant allows reading it, and a reader for its bytes (all
   * of them, or an inclusive range the caller checked against `file.size`).
   */
  async open(grant: DownloadGrant, id: number): Promise<{ file: FileView; read(range?: ByteRange): Promise<Readable> }> {
    const f = await this.#d.store.files.get(id);
    let file: StoredFile;
    if ('signature' in grant) {
      if (!f || f.status !== 'ready') throw fail('object_not_found', `file ${id} does not exist`);
      const app = await this.#d.store.apps.get(f.appId);
      if (!app || !verify(app.secret, downloadPayload(f.id, grant.expiresAt), grant.signature)) throw fail('forbidden', 'the download signature is not valid');
      if (grant.expiresAt < this.#d.clock.now()) throw fail('forbidden', 'the download URL has expired');
      file = f;
    } else {
      file = await this.#readable('principal' in grant ? grant.principal : null, f);
    }
    const blobs = this.#d.blobs;
    return {
      file: fileView(file),
      async read(range) {
        const blob = await blobs.get(blobKey(file), range);
        if (!blob) throw fail('object_not_found', `the bytes of file ${id} are missing from the blob store`);
        return blob.body;
      },
    };
  }

  /** A path (under /v1) that downloads the file without credentials until it expires. */
  async signDownload(p: Principal, id: number, ttlSeconds?: number): Promise<{ path: string; expiresAt: number }> {
    const f = await this.#readable(p, await this.#d.store.files.get(id));
    // Signing shares a file: for a private file only its owner (or an admin) may.
    if (f.visibility === 'private' && !canManage(p, f)) throw fail('forbidden', 'only the owner may share a private file');
    const ttl = ttlSeconds ?? this.#d.settings.downloadUrlTtlSeconds;
    if (!Number.isInteger(ttl) || ttl < 1 || ttl > 7 * 86400) throw fail('invalid_argument', 'ttlSeconds must be 1..604800');
    const app = await this.#d.store.apps.get(f.appId);
    if (!app) throw fail('app_not_found', `app ${f.appId} does not exist`);
    const expiresAt = this.#d.clock.now() + ttl * 1000;
    const signature = sign(app.secret, downloadPayload(f.id, expiresAt));
    return { path: `/v1/files/${f.id}/content?expires=${expiresAt}&signature=${signature}`, expiresAt };
  }

  async delete(p: Principal, id: number): Promise<void> {
    const f = await this.#readable(p, await this.#d.store.files.get(id));
    if (!canManage(p, f)) throw fail('forbidden', 'only the owner or an admin may delete a file');
    // Catalogue first: once the row is gone nobody can read it, then the bytes.
    if (!(await this.#d.store.files.delete(f.id))) throw fail('object_not_found', `file ${id} does not exist`);
    await this.#d.blobs.delete(blobKey(f));
  }

  async #readable(p: Principal | null, f: StoredFile | undefined): Promise<StoredFile> {
    // Not found and not allowed look the same to a stranger, except where the
    // caller is of the same app (then forbidden says the file exists but is private).
    if (!f || f.status !== 'ready' || (p && p.appId !== f.appId && f.visibility !== 'public')) throw fail('object_not_found', 'no such file');
    if (!canRead(p, f)) throw p ? fail('forbidden', 'this file is private') : fail('unauthenticated', 'this file needs a token or a signed URL');
    return f;
  }
}
