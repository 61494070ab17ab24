// Multipart uploads (init → parts → complete | abort) and temporary upload
// credentials with Parley's own direct-upload route.

import { Type } from '@sinclair/typebox';
import { UPLOAD_CREDENTIAL_HEADER } from '../../../core/files/uploads.ts';
import type { NativeApp } from '../plugin.ts';
import { authenticate } from '../auth.ts';
import { IdParam, errorsOf } from '../schemas.ts';
import { Credential, NewObjectFields, PartBody, UploadBody } from './files-schemas.ts';
import { incomingFile, rawBodyScope } from './raw-body.ts';

const PartParams = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,16}$' }), partNumber: Type.Integer({ minimum: 1, maximum: 10_000 }) });
const KeyCheck = Type.Object({ key: Type.Optional(Type.String({ minLength: 1, maxLength: 1024, description: 'When given, must be the upload key' })) });
const Complete = Type.Object(
  {
    key: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
    parts: Type.Array(Type.Object({ partNumber: Type.Integer({ minimum: 1, maximum: 10_000 }), etag: Type.String({ minLength: 1, maxLength: 128 }) }, { additionalProperties: false }), { minItems: 1, maxItems: 10_000 }),
  },
  { additionalProperties: false },
);

export function uploadRoutes(app: NativeApp): void {
  const { core } = app;

  app.post('/uploads', { schema: { tags: ['uploads'], summary: 'Start a multipart upload', body: Type.Object(NewObjectFields, { additionalProperties: false }), response: { 201: UploadBody, ...errorsOf('invalid_key', 'conflict') } } }, async (req, reply) => {
    const p = await authenticate(core, req);
    reply.code(201);
    return core.uploads.init(p, req.body);
  });

  app.get('/uploads/:id', { schema: { tags: ['uploads'], summary: 'A multipart upload and its parts so far', params: IdParam, response: { 200: Type.Intersect([UploadBody, Type.Object({ parts: Type.Array(PartBody) })]), ...errorsOf('upload_not_found', 'forbidden') } } }, async (req) => {
    const p = await authenticate(core, req);
    return core.uploads.get(p, Number(req.params.id));
  });

  const maxBody = Math.max(core.files.settings.maxPartSize, core.files.settings.maxObjectSize);
  rawBodyScope(app, maxBody, (scope) => {
    scope.put(
      '/uploads/:id/parts/:partNumber',
      {
        schema: {
          tags: ['uploads'],
          summary: 'Upload one part (1..10000)',
          description: 'The body is the part: raw bytes, or multipart/form-data with one file part. Sending a part number again replaces it. Returns the ETag to list on completion.',
          params: PartParams,
          querystring: KeyCheck,
          response: { 200: PartBody, ...errorsOf('upload_not_found', 'forbidden', 'object_too_large', 'invalid_key') },
        },
      },
      async (req) => {
        const p = await authenticate(core, req);
        const incoming = await incomingFile(req, maxBody);
        return core.uploads.uploadPart(p, Number(req.params.id), req.params.partNumber, incoming.body, {
          ...(incoming.size !== undefined ? { size: incoming.size } : {}),
          ...(req.query.key !== undefined ? { key: req.query.key } : {}),
        });
      },
    );

    scope.put(
      '/uploads/direct',
      {
        schema: {
          tags: ['uploads'],
          summary: 'Upload with a temporary credential (no bearer token)',
          description: `The credential from POST /v1/uploads/credentials (kind parley) goes in the ${UPLOAD_CREDENTIAL_HEADER} header or the credential query parameter. Single use.`,
          querystring: Type.Object({ credential: Type.Optional(Type.String({ maxLength: 8192 })) }),
          security: [],
          response: { 201: Type.Ref('File'), ...errorsOf('unauthenticated', 'token_expired', 'upload_not_found', 'conflict', 'object_too_large') },
        },
      },
      async (req, reply) => {
        const header = req.headers[UPLOAD_CREDENTIAL_HEADER];
        const token = typeof header === 'string' ? header : req.query.credential;
        const incoming = await incomingFile(req, maxBody);
        const file = await core.uploads.uploadWithCredential(token, incoming.body, incoming.size !== undefined ? { size: incoming.size } : {});
        reply.code(201);
        return file;
      },
    );

    scope.post(
      '/uploads/direct',
      {
        schema: {
          tags: ['uploads'],
          summary: 'Upload with a temporary credential as an HTML form (no bearer token)',
          description:
            'multipart/form-data whose fields come before the file part: the credential in field `credential`, or as `policy` (the OSS-style form that lanying\'s /file/upload/avatar/group hands out), or in the header / query parameter as for PUT. Single use.',
          querystring: Type.Object({ credential: Type.Optional(Type.String({ maxLength: 8192 })) }),
          security: [],
          response: { 201: Type.Ref('File'), ...errorsOf('unauthenticated', 'token_expired', 'upload_not_found', 'conflict', 'object_too_large') },
        },
        config: { fileBody: { formOnly: true, fields: { credential: 'The credential (from POST /v1/uploads/credentials)', policy: "The credential, as the OSS-style form names it (lanying's avatar upload)" } } },
      },
      async (req, reply) => {
        const header = req.headers[UPLOAD_CREDENTIAL_HEADER];
        const incoming = await incomingFile(req, maxBody);
        const token = (typeof header === 'string' ? header : undefined) ?? req.query.credential ?? incoming.fields.credential ?? incoming.fields.policy;
        const file = await core.uploads.uploadWithCredential(token, incoming.body, incoming.size !== undefined ? { size: incoming.size } : {});
        reply.code(201);
        return file;
      },
    );
  });

  app.post('/uploads/:id/complete', { schema: { tags: ['uploads'], summary: 'Complete a multipart upload with its ETag list', params: IdParam, body: Complete, response: { 200: Type.Ref('File'), ...errorsOf('upload_not_found', 'forbidden', 'part_too_small', 'object_too_large', 'invalid_key') } } }, async (req) => {
    const p = await authenticate(core, req);
    return core.uploads.complete(p, Number(req.params.id), req.body.parts, req.body.key);
  });

  app.delete('/uploads/:id', { schema: { tags: ['uploads'], summary: 'Abort a multipart upload', params: IdParam, querystring: KeyCheck, response: { 204: Type.Null(), ...errorsOf('upload_not_found', 'forbidden', 'invalid_key') } } }, async (req, reply) => {
    const p = await authenticate(core, req);
    await core.uploads.abort(p, Number(req.params.id), req.query.key);
    reply.code(204);
    return null;
  });

  app.post(
    '/uploads/credentials',
    {
      schema: {
        tags: ['uploads'],
        summary: 'A temporary credential to upload one file straight to storage',
        description: 'kind presigned-post (S3 store): POST the fields and then the file to url, then POST confirmUrl. kind parley: send the bytes with PUT to url with the given headers.',
        body: Type.Object({ ...NewObjectFields, maxBytes: Type.Optional(Type.Integer({ minimum: 1 })), via: Type.Optional(Type.Union([Type.Literal('store'), Type.Literal('parley')])) }, { additionalProperties: false }),
        response: { 201: Credential, ...errorsOf('app_not_found', 'invalid_key', 'unsupported') },
      },
    },
    async (req, reply) => {
      const p = await authenticate(core, req);
      const c = await core.uploads.issueCredential(p, req.body);
      reply.code(201);
      return c.kind === 'parley' ? { ...c, url: app.publicUrl.of(c.url) } : { ...c, confirmUrl: app.publicUrl.of(c.confirmUrl) };
    },
  );

  app.post('/uploads/direct/:id/confirm', { schema: { tags: ['uploads'], summary: 'Confirm a presigned upload to the store', params: IdParam, response: { 200: Type.Ref('File'), ...errorsOf('upload_not_found', 'forbidden', 'object_not_found', 'object_too_large') } } }, async (req) => {
    const p = await authenticate(core, req);
    return core.uploads.confirmDirect(p, Number(req.params.id));
  });
}
