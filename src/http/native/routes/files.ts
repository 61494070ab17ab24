// Stored files: upload in one request, metadata, download (bearer, signed
// URL, or none for public files), signed URLs, delete. Multipart uploads and
// upload credentials are under /v1/uploads (uploads.ts).

import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import type { ByteRange } from '../../../core/blobs.ts';
import { parseRange } from './ranges.ts';
import { evaluatePreconditions, rangeStillValid } from './conditional.ts';
import type { DownloadGrant } from '../../../core/files/files.ts';
import type { FileView } from '../../../core/files/model.ts';
import type { NativeApp } from '../plugin.ts';
import { authenticate, bearer } from '../auth.ts';
import { IdParam, errorsOf } from '../schemas.ts';
import { FileBody, SignedUrl, Visibility } from './files-schemas.ts';
import { incomingFile, rawBodyScope } from './raw-body.ts';

const UploadQuery = Type.Object({
  allowEmpty: Type.Optional(Type.Boolean({ default: true, description: 'false refuses an empty file' })),
  key: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
  filename: Type.Optional(Type.String({ maxLength: 255 })),
  visibility: Type.Optional(Visibility),
});
const ContentQuery = Type.Object({
  expires: Type.Optional(Type.Integer({ minimum: 0 })),
  signature: Type.Optional(Type.String({ maxLength: 128 })),
});

/**
 * Sends a stored file: whole, as one byte range (206), not modified (304),
 * precondition failed (412) or 416, after RFC 9110's conditional headers
 * (conditional.ts). Headers keep uploaded HTML or SVG from running on
 * Parley's origin.
 */
export async function sendFile(req: FastifyRequest, reply: FastifyReply, opened: { file: FileView; read(range?: ByteRange): Promise<Readable> }) {
  const { file } = opened;
  const name = file.key.slice(file.key.lastIndexOf('/') + 1);
  const validators = { etag: `"${file.etag}"`, lastModified: file.updatedAt };
  reply
    .header('etag', validators.etag)
    .header('last-modified', new Date(file.updatedAt).toUTCString())
    .header('accept-ranges', 'bytes')
    .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(name)}`)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('cache-control', file.visibility === 'public' ? 'public, max-age=31536000, immutable' : 'private, max-age=0');
  const precondition = evaluatePreconditions(req.headers, validators);
  if (precondition === 'not-modified') return reply.code(304).send();
  if (precondition === 'failed') {
    return reply.code(412).type('application/json').send({ error: { code: 'precondition_failed', message: 'the file does not match If-Match / If-Unmodified-Since' } });
  }
  const range = rangeStillValid(req.headers['if-range'], validators) ? parseRange(req.headers.range, file.size) : undefined;
  if (range === 'unsatisfiable') {
    return reply.code(416).header('content-range', `bytes */${file.size}`).type('application/json').send({ error: { code: 'invalid_argument', message: 'the range is outside the file' } });
  }
  reply.type(file.contentType);
  // HEAD: the headers of the whole file. An empty stream keeps Fastify from
  // rewriting content-length to the (empty) payload's.
  if (req.method === 'HEAD') return reply.header('content-length', file.size).send(Readable.from([]));
  if (range) {
    return reply
      .code(206)
      .header('content-range', `bytes ${range.start}-${range.end}/${file.size}`)
      .header('content-length', range.end - range.start + 1)
      .send(await opened.read(range));
  }
  return reply.header('content-length', file.size).send(await opened.read());
}

export function fileRoutes(app: NativeApp): void {
  const { core } = app;
  app.addSchema(FileBody);

  rawBodyScope(app, core.files.settings.maxObjectSize, (scope) => {
    scope.post(
      '/files',
      {
        schema: {
          tags: ['files'],
          summary: 'Upload a file in one request',
          description:
            'The body is the file: raw bytes (Content-Type = the file type) or multipart/form-data with one file part (fields key, visibility before it). Streamed to storage, never buffered. Keys are write-once.',
          querystring: UploadQuery,
          response: { 201: Type.Ref('File'), ...errorsOf('invalid_key', 'object_too_large', 'empty_file', 'conflict') },
        },
        config: { fileBody: { fields: { key: 'Object key (when the query names none)', visibility: 'private, app or public (when the query names none)' } } },
      },
      async (req, reply) => {
        const p = await authenticate(core, req);
        const incoming = await incomingFile(req, core.files.settings.maxObjectSize);
        const q = req.query;
        const key = q.key ?? incoming.fields.key;
        const visibility = (q.visibility ?? incoming.fields.visibility) as 'private' | 'app' | 'public' | undefined;
        const filename = q.filename ?? incoming.filename;
        const file = await core.files.upload(
          p,
          {
            ...(key !== undefined ? { key } : {}),
            ...(filename ? { filename } : {}),
            ...(visibility !== undefined ? { visibility } : {}),
            ...(incoming.contentType !== undefined ? { contentType: incoming.contentType } : {}),
            ...(incoming.size !== undefined ? { size: incoming.size } : {}),
            ...(q.allowEmpty !== undefined ? { allowEmpty: q.allowEmpty } : {}),
          },
          incoming.body,
        );
        reply.code(201);
        return file;
      },
    );
  });

  app.get('/files', { schema: { tags: ['files'], summary: 'Find a file by key', querystring: Type.Object({ key: Type.String({ minLength: 1, maxLength: 1024 }) }), response: { 200: Type.Ref('File'), ...errorsOf('invalid_key', 'object_not_found', 'forbidden') } } }, async (req) => {
    const p = await authenticate(core, req);
    return core.files.getByKey(p, req.query.key);
  });

  app.get('/files/:id', { schema: { tags: ['files'], summary: "A file's metadata", params: IdParam, response: { 200: Type.Ref('File'), ...errorsOf('object_not_found', 'forbidden') } } }, async (req) => {
    const p = bearer(req) ? await authenticate(core, req) : null;
    return core.files.get(p, Number(req.params.id));
  });

  app.get(
    '/files/:id/content',
    {
      schema: {
        tags: ['files'],
        summary: 'Download a file',
        description:
          'Authorised by a bearer token, by a signed URL (expires + signature from POST /v1/files/{id}/url), or by nothing for public files. Supports one Range (206/416, If-Range), If-None-Match (weak comparison) and If-Modified-Since (304), If-Match and If-Unmodified-Since (412), as RFC 9110 says.',
        params: IdParam,
        querystring: ContentQuery,
        response: {
          200: Type.Any({ description: 'The bytes (Content-Type is the file\'s)' }),
          206: Type.Any({ description: 'The requested range (Content-Range says which)' }),
          304: Type.Null({ description: 'Not modified (If-None-Match / If-Modified-Since)' }),
          ...errorsOf('object_not_found', 'forbidden'),
          412: Type.Ref('Error', { description: 'Precondition failed (If-Match / If-Unmodified-Since): `error.code` is `precondition_failed`' }),
          416: Type.Ref('Error', { description: 'Range not satisfiable: `error.code` is `invalid_argument`' }),
        },
      },
    },
    async (req, reply) => {
      let grant: DownloadGrant;
      if (req.query.signature !== undefined && req.query.expires !== undefined) grant = { signature: req.query.signature, expiresAt: req.query.expires };
      else if (bearer(req)) grant = { principal: await authenticate(core, req) };
      else grant = { anonymous: true };
      return sendFile(req, reply, await core.files.open(grant, Number(req.params.id)));
    },
  );

  app.post(
    '/files/:id/url',
    {
      schema: {
        tags: ['files'],
        summary: 'A signed, expiring download URL',
        params: IdParam,
        body: Type.Optional(Type.Object({ ttlSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 7 * 86400 })) }, { additionalProperties: false })),
        response: { 200: SignedUrl, ...errorsOf('object_not_found', 'forbidden') },
      },
    },
    async (req) => {
      const p = await authenticate(core, req);
      const signed = await core.files.signDownload(p, Number(req.params.id), req.body?.ttlSeconds);
      return { ...signed, url: app.publicUrl.of(signed.path) };
    },
  );

  app.delete('/files/:id', { schema: { tags: ['files'], summary: 'Delete a file (owner or admin)', params: IdParam, response: { 204: Type.Null(), ...errorsOf('object_not_found', 'forbidden') } } }, async (req, reply) => {
    const p = await authenticate(core, req);
    await core.files.delete(p, Number(req.params.id));
    reply.code(204);
    return null;
  });
}
