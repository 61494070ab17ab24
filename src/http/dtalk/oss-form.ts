// The file forms of /oss/upload and /oss/upload-part, read without holding
// the file in memory (they take up to 64 MiB). The file part goes to the
// store as it arrives when the fields the store needs came before it; a form
// that sends them after the file (the original, go-zero, reads the whole
// form first, so any order worked) has its file spooled to a temporary file
// and stored from there once the form is read. Either way the limit is
// counted as the bytes arrive and a part over it fails the store's stream
// (../file-parts.ts), so nothing is stored cut short.

import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { isParleyError } from '../../core/errors.ts';
import { checkedPart, formError } from '../file-parts.ts';
import { DtalkFailure } from './errors.ts';

/** Stores the file part: the form's text fields, its bytes, and their count when known. */
export type StoreFile<T> = (fields: Record<string, string>, file: Readable, size?: number) => Promise<T>;

/**
 * Reads the form, storing its file part `file` through `store` (other file
 * parts are read and dropped). `stored` is undefined when the form has no
 * such part; `fields` are its text fields.
 */
export async function storeFileForm<T>(req: FastifyRequest, maxBytes: number, needs: readonly string[], store: StoreFile<T>): Promise<{ fields: Record<string, string>; stored: T | undefined }> {
  const fields: Record<string, string> = {};
  if (!req.isMultipart()) return { fields, stored: undefined };
  let stored: T | undefined;
  let spool: { dir: string; path: string; size: number } | undefined;
  try {
    for await (const part of req.parts({ limits: { fileSize: maxBytes, fieldSize: 64 * 1024, fields: 16, files: 2 } })) {
      if (part.type !== 'file') {
        if (typeof part.value === 'string') fields[part.fieldname] = part.value;
        continue;
      }
      const bytes = checkedPart(part.file, maxBytes);
      if (part.fieldname !== 'file' || stored !== undefined || spool !== undefined) {
        bytes.resume();
        continue;
      }
      if (needs.every((name) => name in fields)) {
        stored = await store({ ...fields }, bytes);
      } else {
        const dir = await mkdtemp(join(tmpdir(), 'parley-oss-'));
        const spooled = (spool = { dir, path: join(dir, 'file'), size: 0 });
        await pipeline(
          bytes,
          async function* (chunks: AsyncIterable<Buffer>) {
            for await (const chunk of chunks) {
              spooled.size += chunk.length;
              yield chunk;
            }
          },
          createWriteStream(spooled.path),
        );
      }
    }
    if (spool) stored = await store(fields, createReadStream(spool.path), spool.size);
  } catch (e) {
    if (e instanceof DtalkFailure || isParleyError(e)) throw e;
    throw formError(e, maxBytes);
  } finally {
    if (spool) await rm(spool.dir, { recursive: true, force: true });
  }
  return { fields, stored };
}
