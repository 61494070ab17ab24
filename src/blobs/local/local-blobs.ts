// The default blob adapter: a directory under the data directory.
//
//   <root>/objects/<h[0..2]>/<h>        one file per object, h = sha256(key)
//   <root>/multipart/<uploadId>/<n>-<md5>  parts of an unfinished upload
//   <root>/tmp/                         bytes in flight
//
// Objects are stored under the hash of their key, so no key can name a path
// outside the root and keys like `a` and `a/b` never collide as file and
// directory. Every write goes to tmp/ first and is renamed into place, which
// is atomic on one filesystem: a failed upload leaves nothing visible.

import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BlobInfo, BlobPart, BlobStore } from '../../core/blobs.ts';
import { fail } from '../../core/errors.ts';

const UPLOAD_ID = /^[0-9a-f]{32}$/;

export function localBlobs(root: string): BlobStore {
  const objects = join(root, 'objects');
  const multipart = join(root, 'multipart');
  const tmp = join(root, 'tmp');
  let ready: Promise<unknown> | undefined;
  const ensureDirs = () => (ready ??= Promise.all([mkdir(objects, { recursive: true }), mkdir(multipart, { recursive: true }), mkdir(tmp, { recursive: true })]));

  const objectPath = (key: string) => {
    const h = createHash('sha256').update(key).digest('hex');
    return { dir: join(objects, h.slice(0, 2)), file: join(objects, h.slice(0, 2), h) };
  };
  const uploadDir = (uploadId: string) => {
    // The id comes back from clients through core; never let it name a path.
    if (!UPLOAD_ID.test(uploadId)) throw fail('upload_not_found', 'unknown upload');
    return join(multipart, uploadId);
  };

  /** Streams `body` into a temp file, hashing as it goes; the caller renames it into place. */
  async function spool(body: Readable): Promise<{ path: string; md5: Buffer; size: number }> {
    await ensureDirs();
    const path = join(tmp, randomBytes(16).toString('hex'));
    const hash = createHash('md5');
    let size = 0;
    try {
      const hashing = new Transform({
        transform(chunk: Buffer, _enc, done) {
          hash.update(chunk);
          size += chunk.length;
          done(null, chunk);
        },
      });
      await pipeline(body, hashing, createWriteStream(path));
    } catch (e) {
      await rm(path, { force: true });
      throw e;
    }
    return { path, md5: hash.digest(), size };
  }

  async function partFiles(uploadId: string): Promise<Map<number, { file: string; etag: string }>> {
    const dir = uploadDir(uploadId);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      throw fail('upload_not_found', 'unknown upload');
    }
    const parts = new Map<number, { file: string; etag: string }>();
    for (const name of names) {
      const m = /^([0-9]+)-([0-9a-f]{32})$/.exec(name);
      if (m) parts.set(Number(m[1]), { file: join(dir, name), etag: m[2] });
    }
    return parts;
  }

  return {
    async put(key, body) {
      const { path, md5, size } = await spool(body);
      const { dir, file } = objectPath(key);
      await mkdir(dir, { recursive: true });
      await rename(path, file);
      return { size, etag: md5.toString('hex') };
    },

    async get(key, range) {
      const { file } = objectPath(key);
      try {
        const s = await stat(file);
        return { body: createReadStream(file, range ? { start: range.start, end: range.end } : {}), size: s.size };
      } catch {
        return undefined;
      }
    },

    async head(key) {
      const { file } = objectPath(key);
      try {
        const s = await stat(file);
        // The local store keeps no etag beside the bytes; core keeps the one
        // reported at write time. head is for existence and size.
        return { size: s.size, etag: '' };
      } catch {
        return undefined;
      }
    },

    async delete(key) {
      await rm(objectPath(key).file, { force: true });
    },

    async createMultipart() {
      await ensureDirs();
      const id = randomBytes(16).toString('hex');
      await mkdir(join(multipart, id));
      return id;
    },

    async uploadPart(_key, uploadId, partNumber, body) {
      const dir = uploadDir(uploadId);
      await stat(dir).catch(() => {
        throw fail('upload_not_found', 'unknown upload');
      });
      const { path, md5, size } = await spool(body);
      const etag = md5.toString('hex');
      // A part sent again replaces the earlier one.
      const old = (await partFiles(uploadId)).get(partNumber);
      try {
        await rename(path, join(dir, `${partNumber}-${etag}`));
      } catch (e) {
        await rm(path, { force: true });
        throw fail('upload_not_found', `upload was aborted: ${(e as Error).message}`);
      }
      if (old && old.etag !== etag) await unlink(old.file).catch(() => {});
      return { size, etag };
    },

    async completeMultipart(key, uploadId, parts: readonly BlobPart[]): Promise<BlobInfo> {
      const stored = await partFiles(uploadId);
      const files = parts.map((p) => {
        const s = stored.get(p.partNumber);
        if (!s || s.etag !== p.etag.replaceAll('"', '').toLowerCase()) {
          throw fail('invalid_argument', `part ${p.partNumber} was not uploaded with that ETag`, { partNumber: p.partNumber });
        }
        return s;
      });
      async function* joined() {
        for (const f of files) yield* createReadStream(f.file);
      }
      const { path, size } = await spool(Readable.from(joined()));
      const { dir, file } = objectPath(key);
      await mkdir(dir, { recursive: true });
      await rename(path, file);
      await rm(uploadDir(uploadId), { recursive: true, force: true });
      // Same form as S3's multipart ETag: MD5 of the parts' binary MD5s, then -N.
      const etag = createHash('md5').update(Buffer.concat(files.map((f) => Buffer.from(f.etag, 'hex')))).digest('hex') + `-${files.length}`;
      return { size, etag };
    },

    async abortMultipart(_key, uploadId) {
      if (!UPLOAD_ID.test(uploadId)) return;
      await rm(uploadDir(uploadId), { recursive: true, force: true });
    },
  };
}
