// S3-compatible blob adapter (AWS S3, MinIO, Ceph, R2, s3rver in tests)
// through @aws-sdk/client-s3. Keys are stored under an optional prefix in one
// bucket. S3 itself makes PutObject and CompleteMultipartUpload atomic, which
// is the port's guarantee.

import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BlobInfo, BlobStore, DirectUploads } from '../../core/blobs.ts';
import { fail } from '../../core/errors.ts';

export interface S3Options {
  bucket: string;
  /** e.g. http://127.0.0.1:9000 for MinIO; empty for AWS. */
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Path-style addressing (http://host/bucket/key), which MinIO and s3rver need. */
  forcePathStyle: boolean;
  /** Prepended to every key, so several deployments can share a bucket. */
  prefix?: string;
}


const statusOf = (e: unknown) => (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
const nameOf = (e: unknown) => (e as { name?: string }).name ?? '';
const isNotFound = (e: unknown) => statusOf(e) === 404 || ['NoSuchKey', 'NotFound'].includes(nameOf(e));

function mapMultipartError(e: unknown): never {
  const name = nameOf(e);
  if (name === 'NoSuchUpload') throw fail('upload_not_found', 'unknown upload');
  if (name === 'EntityTooSmall') throw fail('part_too_small', 'a part other than the last is smaller than the store allows');
  if (name === 'InvalidPart' || name === 'InvalidPartOrder') throw fail('invalid_argument', 'a listed part was not uploaded with that ETag');
  throw e;
}

/**
 * A part whose length the client did not declare (a form's file part):
 * S3's UploadPart needs the length before the first byte, so the part goes
 * to a temporary file first (core's limit on the stream bounds it), never
 * into memory. Removed by `done`.
 */
async function spooled(body: Readable): Promise<{ path: string; size: number; done: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'parley-s3-part-'));
  const done = () => rm(dir, { recursive: true, force: true });
  const path = join(dir, 'part');
  let size = 0;
  try {
    await pipeline(
      body,
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          size += chunk.length;
          yield chunk;
        }
      },
      createWriteStream(path),
    );
  } catch (e) {
    await done();
    throw e;
  }
  return { path, size, done };
}

/** Counts the bytes that pass, so the reported size is what was stored. */
function counted(body: Readable): { stream: Readable; size: () => number } {
  let size = 0;
  const stream = Readable.from(
    (async function* () {
      for await (const chunk of body as AsyncIterable<Buffer>) {
        size += chunk.length;
        yield chunk;
      }
    })(),
  );
  return { stream, size: () => size };
}

export function s3Blobs(o: S3Options): BlobStore {
  const client = new S3Client({
    region: o.region,
    ...(o.endpoint ? { endpoint: o.endpoint } : {}),
    forcePathStyle: o.forcePathStyle,
    ...(o.accessKeyId ? { credentials: { accessKeyId: o.accessKeyId, secretAccessKey: o.secretAccessKey } } : {}),
    // Streamed bodies with trailing checksums (the SDK default since 2025) are
    // not understood by every S3-compatible server; checksums only where required.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const Bucket = o.bucket;
  const prefix = o.prefix ?? '';
  const k = (key: string) => prefix + key;

  const direct: DirectUploads = {
    async presignPost(input) {
      const Conditions: NonNullable<Parameters<typeof createPresignedPost>[1]['Conditions']> = [['content-length-range', 0, input.maxBytes]];
      if (input.keyPrefix !== undefined) Conditions.push(['starts-with', '$key', k(input.keyPrefix)]);
      const post = await createPresignedPost(client, {
        Bucket,
        // With a prefix scope the client fills the key field in; `${filename}` is S3's placeholder.
        Key: input.key !== undefined ? k(input.key) : k(`${input.keyPrefix ?? ''}\${filename}`),
        Conditions,
        Fields: input.contentType ? { 'Content-Type': input.contentType } : {},
        Expires: input.expiresInSeconds,
      });
      return { url: post.url, fields: post.fields };
    },
  };

  return {
    direct,

    async put(key, body, opts) {
      const c = counted(body);
      const upload = new Upload({ client, params: { Bucket, Key: k(key), Body: c.stream, ContentType: opts.contentType }, queueSize: 2, partSize: 8 * 1024 * 1024, leavePartsOnError: false });
      const out = await upload.done();
      return { size: c.size(), etag: (out.ETag ?? '').replaceAll('"', '') };
    },

    async get(key, range) {
      try {
        const r = await client.send(new GetObjectCommand({ Bucket, Key: k(key), ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}) }));
        const total = range ? Number(/\/(\d+)$/.exec(r.ContentRange ?? '')?.[1] ?? 0) : (r.ContentLength ?? 0);
        return { body: r.Body as Readable, size: total };
      } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
      }
    },

    async head(key) {
      try {
        const r = await client.send(new HeadObjectCommand({ Bucket, Key: k(key) }));
        return { size: r.ContentLength ?? 0, etag: (r.ETag ?? '').replaceAll('"', '') };
      } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
      }
    },

    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: k(key) }));
    },

    async createMultipart(key, opts) {
      const r = await client.send(new CreateMultipartUploadCommand({ Bucket, Key: k(key), ContentType: opts.contentType }));
      if (!r.UploadId) throw new Error('the store returned no UploadId');
      return r.UploadId;
    },

    async uploadPart(key, uploadId, partNumber, body, size?: number): Promise<BlobInfo> {
      try {
        if (size !== undefined) {
          const c = counted(body);
          const r = await client.send(new UploadPartCommand({ Bucket, Key: k(key), UploadId: uploadId, PartNumber: partNumber, Body: c.stream, ContentLength: size }));
          return { size: c.size(), etag: (r.ETag ?? '').replaceAll('"', '') };
        }
        const part = await spooled(body);
        try {
          const r = await client.send(new UploadPartCommand({ Bucket, Key: k(key), UploadId: uploadId, PartNumber: partNumber, Body: createReadStream(part.path), ContentLength: part.size }));
          return { size: part.size, etag: (r.ETag ?? '').replaceAll('"', '') };
        } finally {
          await part.done();
        }
      } catch (e) {
        return mapMultipartError(e);
      }
    },

    async completeMultipart(key, uploadId, parts) {
      try {
        const r = await client.send(
          new CompleteMultipartUploadCommand({
            Bucket,
            Key: k(key),
            UploadId: uploadId,
            MultipartUpload: { Parts: parts.map((p) => ({ PartNumber: p.partNumber, ETag: `"${p.etag.replaceAll('"', '')}"` })) },
          }),
        );
        const head = await client.send(new HeadObjectCommand({ Bucket, Key: k(key) }));
        return { size: head.ContentLength ?? 0, etag: (r.ETag ?? head.ETag ?? '').replaceAll('"', '') };
      } catch (e) {
        return mapMultipartError(e);
      }
    },

    async abortMultipart(key, uploadId) {
      try {
        await client.send(new AbortMultipartUploadCommand({ Bucket, Key: k(key), UploadId: uploadId }));
      } catch (e) {
        if (nameOf(e) === 'NoSuchUpload' || isNotFound(e)) return;
        throw e;
      }
    },

    async close() {
      client.destroy();
    },
  };
}
