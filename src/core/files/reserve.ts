// Reserving a key: a pending file row, inserted under the unique (app, key)
// constraint before any byte is written. It decides which of two racing
// uploads owns the key, keeps a half-written object invisible, and lapses
// (Uploads.cleanup, run by src/housekeeping.ts, removes it) if the uploader vanishes.

import type { BlobStore } from '../blobs.ts';
import type { Clock } from '../clock.ts';
import type { IdGenerator } from '../ids.ts';
import type { Store } from '../ports.ts';
import type { StoredFile, Visibility } from './model.ts';

interface Deps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  blobs: BlobStore;
}

/** Where a file's bytes live in the blob store: apps never share a key space. */
export const blobKey = (f: { appId: number; key: string }) => `${f.appId}/${f.key}`;

export async function reserve(
  d: Deps,
  input: { appId: number; key: string; ownerId: number | null; contentType: string; visibility: Visibility; holdSeconds: number },
): Promise<StoredFile> {
  const now = d.clock.now();
  const file: StoredFile = {
    id: d.ids.next(),
    appId: input.appId,
    key: input.key,
    ownerId: input.ownerId,
    contentType: input.contentType,
    size: 0,
    etag: '',
    visibility: input.visibility,
    status: 'pending',
    pendingUntil: now + input.holdSeconds * 1000,
    createdAt: now,
    updatedAt: now,
  };
  await d.store.files.insert(file);
  return file;
}

/** Gives a reserved key back (the upload failed or was aborted). */
export async function release(d: Deps, file: StoredFile): Promise<void> {
  const current = await d.store.files.get(file.id);
  if (current?.status === 'pending') await d.store.files.delete(file.id);
}
