// A multipart file part as the stream a store reads, for every dialect that
// takes file forms. Every way a form can go wrong ends as a core error on
// that stream (STYLE rule 18): a body cut short before its closing boundary,
// a client gone mid-upload, a form without a boundary, and a file part over
// the limit (busboy's `fileSize` only truncates the part and ends it
// normally, so the 'limit' event must fail it, or the upload is stored cut
// short). Dialects answer the core errors in their own words.

import { PassThrough, type Readable } from 'node:stream';
import { fail, ParleyError } from '../core/errors.ts';

/**
 * The file part as a stream that fails rather than ends when the part was
 * cut by the size limit or the form broke off. Its 'error' is also kept on
 * the stream (readableErrored) for a consumer that starts reading later, so
 * the listener here only stops an early failure from being unhandled.
 */
export function checkedPart(file: Readable & { truncated?: boolean }, maxBytes: number): Readable {
  const out = new PassThrough();
  out.on('error', () => {});
  // The form may have broken off before the route got here (busboy parses
  // on while the route awaits): the part is then already destroyed, and its
  // 'error' was emitted before anyone here listened.
  if (file.destroyed) {
    out.destroy(formError(file.errored ?? fail('invalid_argument', 'the request body ended before the form was complete'), maxBytes));
    return out;
  }
  file.on('limit', () => out.destroy(fail('object_too_large', `the file is larger than ${maxBytes} bytes`, { maxBytes })));
  file.on('error', (e) => out.destroy(formError(e, maxBytes)));
  file.on('end', () => {
    if (file.truncated) out.destroy(fail('object_too_large', `the file is larger than ${maxBytes} bytes`, { maxBytes }));
  });
  file.pipe(out);
  return out;
}

/** A @fastify/multipart or busboy failure as the client's mistake it is. */
export function formError(e: unknown, maxBytes: number): ParleyError {
  if (e instanceof ParleyError) return e;
  const code = (e as { code?: string }).code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') return fail('object_too_large', `the file is larger than ${maxBytes} bytes`, { maxBytes });
  if (code === 'FST_FILES_LIMIT' || code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT') return fail('invalid_argument', 'the form has too many parts or fields');
  if (code === 'FST_MP_PREMATURE_CLOSE' || code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE') return fail('invalid_argument', 'the request body ended before the form was complete');
  const message = (e as Error).message ?? String(e);
  // busboy says it two ways, depending on whether a part was open when the body ended.
  if (/terminated early|Unexpected end of multipart data/.test(message)) return fail('invalid_argument', 'the form ended before its closing boundary');
  return fail('invalid_argument', `the form could not be read: ${message}`);
}
