// Object keys and content types as clients send them. A key is a relative,
// slash-separated path: no `..` or `.` segments, no absolute paths, no empty
// segments, no backslashes, no control characters; at most 1024 UTF-8 bytes
// (S3's limit). dtalk's original refused only blank keys and `..` (the original's source,
// OSS); the stricter rule keeps every adapter safe.

import { randomBytes } from 'node:crypto';
import { fail } from '../errors.ts';

const MAX_KEY_BYTES = 1024;
const MAX_SEGMENT_BYTES = 255;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const CONTENT_TYPE = /^[A-Za-z0-9][\w.+-]*\/[A-Za-z0-9][\w.+-]*(\s*;\s*[\w.+-]+=("[^"\\\r\n]*"|[\w.+-]+))*$/;

export function validateKey(key: unknown): string {
  if (typeof key !== 'string' || key.trim() === '') throw fail('invalid_key', 'key must be a non-empty string');
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) throw fail('invalid_key', `key is longer than ${MAX_KEY_BYTES} bytes`);
  if (CONTROL.test(key)) throw fail('invalid_key', 'key must not contain control characters');
  if (key.includes('\\')) throw fail('invalid_key', 'key must not contain backslashes');
  if (key.startsWith('/') || /^[A-Za-z]:/.test(key)) throw fail('invalid_key', 'key must be a relative path');
  for (const segment of key.split('/')) {
    if (segment === '') throw fail('invalid_key', 'key must not have empty path segments');
    if (segment === '.' || segment === '..') throw fail('invalid_key', 'key must not contain . or .. segments');
    if (Buffer.byteLength(segment) > MAX_SEGMENT_BYTES) throw fail('invalid_key', `a key segment is longer than ${MAX_SEGMENT_BYTES} bytes`);
  }
  return key;
}

/** A fresh key when the client names none: `f/<random>[/<filename>]`. */
export function generateKey(filename?: string): string {
  const base = `f/${randomBytes(12).toString('hex')}`;
  if (!filename) return base;
  const clean = filename.replace(/[\\/]/g, '_').replace(/[\u0000-\u001f\u007f-\u009f]/g, '').slice(-200);
  return clean && clean !== '.' && clean !== '..' ? `${base}/${clean}` : base;
}

const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

export function validateContentType(value: string | undefined): string {
  if (value === undefined || value.trim() === '') return DEFAULT_CONTENT_TYPE;
  const v = value.trim();
  if (v.length > 255 || !CONTENT_TYPE.test(v)) throw fail('invalid_argument', 'contentType is not a valid media type');
  return v;
}
