// The blob port: where object bytes live. Core owns the rules (keys, owners,
// limits, visibility) and the catalogue in the store; a blob adapter only moves
// bytes. Adapters: src/blobs/local (a directory) and src/blobs/s3 (any
// S3-compatible service). Core never asks which one it has: an adapter that
// lets clients upload straight to it says so through `direct`.

import type { Readable } from 'node:stream';
import { fail } from './errors.ts';

export interface BlobInfo {
  size: number;
  /** Quoted or bare entity tag as the store reports it (S3: MD5 of the bytes, or of the parts' MD5s plus `-N`). */
  etag: string;
}

/** Inclusive byte offsets, already checked against the object's size by the caller. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface BlobPart {
  partNumber: number;
  etag: string;
}

/** A browser-style form upload the client sends straight to the store (S3 presigned POST). */
export interface DirectPost {
  url: string;
  fields: Record<string, string>;
}

export interface DirectUploads {
  /**
   * A form POST that lets its holder store one object whose key starts with
   * `keyPrefix` (or equals `key`), of at most `maxBytes`, until `expiresAt`.
   */
  presignPost(input: { key?: string; keyPrefix?: string; contentType?: string; maxBytes: number; expiresInSeconds: number }): Promise<DirectPost>;
}

/**
 * Guarantees every adapter keeps (test/blobs/contract.test.ts checks them):
 * - `put` and `completeMultipart` are atomic: until they resolve, readers see
 *   the previous object at that key (or none); when the body stream fails,
 *   nothing of it becomes visible.
 * - Bodies are streamed: memory use does not grow with the object's size.
 * - `delete` and `abortMultipart` are idempotent.
 * - Keys reach the adapter already validated by core (src/core/files/keys.ts).
 */
export interface BlobStore {
  put(key: string, body: Readable, opts: { contentType: string }): Promise<BlobInfo>;
  /**
   * The bytes (or the inclusive byte range `start..end` of them), or
   * undefined when there is no object at `key`. `size` is the whole object's.
   */
  get(key: string, range?: ByteRange): Promise<{ body: Readable; size: number } | undefined>;
  head(key: string): Promise<BlobInfo | undefined>;
  delete(key: string): Promise<void>;

  /** Starts a multipart upload and returns the store's id for it. */
  createMultipart(key: string, opts: { contentType: string }): Promise<string>;
  /**
   * Stores one part (1..10000); a part sent again replaces the earlier one.
   * `size` is the length the client declared, when it did (S3 needs it to stream).
   */
  uploadPart(key: string, uploadId: string, partNumber: number, body: Readable, size?: number): Promise<BlobInfo>;
  /** Joins the listed parts, in the order given, into the object at `key`. */
  completeMultipart(key: string, uploadId: string, parts: readonly BlobPart[]): Promise<BlobInfo>;
  abortMultipart(key: string, uploadId: string): Promise<void>;

  /** Present when clients can upload straight to the store, bypassing Parley. */
  readonly direct?: DirectUploads;
  close?(): Promise<void>;
}

const none = async (): Promise<never> => {
  throw fail('unsupported', 'this process has no blob store configured');
};

/** What a process without file storage (a CLI command) gets: every operation says so. */
export const unavailableBlobs: BlobStore = {
  put: none,
  get: none,
  head: none,
  delete: none,
  createMultipart: none,
  uploadPart: none,
  completeMultipart: none,
  abortMultipart: none,
};
