// Routes whose request body is the bytes of a file: a scope without Parley's
// JSON parser, where any body arrives as a stream (never buffered) and
// multipart/form-data bodies are read with @fastify/multipart, first file
// part only. Registered as a child of the native plugin, so errors and auth
// stay native.
//
// Every way a form can go wrong ends as a core error on the stream the core
// reads (STYLE rule 18): a body cut short before its closing boundary, a
// client gone mid-upload, a form without a boundary, and a file part over
// the limit (busboy's `fileSize` only truncates the part and ends it
// normally, so the 'limit' event must fail it, or the upload is stored cut
// short).

import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { PassThrough, type Readable } from 'node:stream';
import { fail, ParleyError } from '../../../core/errors.ts';
import type { NativeApp } from '../plugin.ts';

export interface IncomingFile {
  body: Readable;
  /** Declared length, when the client sent Content-Length for the bytes themselves. */
  size?: number;
  contentType?: string;
  filename?: string;
  /** Form fields sent before the file part (multipart/form-data only). */
  fields: Record<string, string>;
}

export function rawBodyScope(app: NativeApp, maxBytes: number, routes: (scope: NativeApp) => void): void {
  void app.register(async (instance) => {
    const scope = instance as NativeApp;
    // The document describes each route's body as a file (raw or a form's `file` part) unless the route says more.
    scope.addHook('onRoute', (route) => {
      route.config = { ...route.config, fileBody: route.config?.fileBody ?? {} };
    });
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
    await scope.register(multipart, { limits: { fileSize: maxBytes, files: 1, fields: 20, fieldSize: 4096 }, throwFileSizeLimit: true });
    routes(scope);
  });
}

/**
 * The uploaded bytes of a raw or multipart/form-data request. `maxBytes` is
 * the limit the scope gave busboy (rawBodyScope), named in the 413.
 */
export async function incomingFile(req: FastifyRequest, maxBytes: number): Promise<IncomingFile> {
  if (req.isMultipart()) {
    let part;
    try {
      part = await req.file();
    } catch (e) {
      throw formError(e, maxBytes);
    }
    if (!part) throw fail('invalid_argument', 'the form has no file part');
    const fields: Record<string, string> = {};
    for (const [name, value] of Object.entries(part.fields)) {
      const v = Array.isArray(value) ? value[0] : value;
      if (v && v.type === 'field' && typeof v.value === 'string') fields[name] = v.value;
    }
    return { body: checkedPart(part.file, maxBytes), contentType: part.mimetype, filename: part.filename, fields };
  }
  const length = req.headers['content-length'];
  const size = length !== undefined && /^[0-9]+$/.test(length) ? Number(length) : undefined;
  const body = (req.body as Readable | undefined) ?? req.raw;
  const contentType = req.headers['content-type'];
  return { body, fields: {}, ...(size !== undefined ? { size } : {}), ...(contentType ? { contentType } : {}) };
}

/**
 * The file part as a stream that fails rather than ends when the part was
 * cut by the size limit or the form broke off. Its 'error' is also kept on
 * the stream (readableErrored) for a consumer that starts reading later, so
 * the listener here only stops an early failure from being unhandled.
 */
function checkedPart(file: Readable & { truncated?: boolean }, maxBytes: number): Readable {
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
function formError(e: unknown, maxBytes: number): ParleyError {
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
