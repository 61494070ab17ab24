// Routes whose request body is the bytes of a file: a scope without Parley's
// JSON parser, where any body arrives as a stream (never buffered) and
// multipart/form-data bodies are read with @fastify/multipart, first file
// part only. Registered as a child of the native plugin, so errors and auth
// stay native.
//
// Every way a form can go wrong ends as a core error on the stream the core
// reads (../../file-parts.ts).

import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { fail } from '../../../core/errors.ts';
import { checkedPart, formError } from '../../file-parts.ts';
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
