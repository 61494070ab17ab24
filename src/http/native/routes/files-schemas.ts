import { Type } from '@sinclair/typebox';
import { Id } from '../schemas.ts';

export const Visibility = Type.Union([Type.Literal('private'), Type.Literal('app'), Type.Literal('public')]);

export const FileBody = Type.Object(
  {
    id: Id,
    key: Type.String(),
    ownerId: Type.Union([Id, Type.Null()]),
    contentType: Type.String(),
    size: Type.Integer(),
    etag: Type.String(),
    visibility: Visibility,
    contentPath: Type.String({ description: 'GET this path to download the bytes' }),
    createdAt: Type.Integer(),
    updatedAt: Type.Integer(),
  },
  { $id: 'File' },
);

export const UploadBody = Type.Object({
  id: Id,
  fileId: Id,
  key: Type.String(),
  contentType: Type.String(),
  createdAt: Type.Integer(),
  expiresAt: Type.Integer(),
  minPartSize: Type.Integer(),
  maxPartSize: Type.Integer(),
});

export const PartBody = Type.Object({ uploadId: Id, key: Type.String(), partNumber: Type.Integer(), etag: Type.String(), size: Type.Integer() });

export const NewObjectFields = {
  key: Type.Optional(Type.String({ minLength: 1, maxLength: 1024, description: 'Object key (relative path); generated when absent' })),
  filename: Type.Optional(Type.String({ maxLength: 255, description: 'Used in a generated key' })),
  contentType: Type.Optional(Type.String({ maxLength: 255 })),
  visibility: Type.Optional(Visibility),
};

export const SignedUrl = Type.Object({ url: Type.String(), path: Type.String(), expiresAt: Type.Integer() });

export const Credential = Type.Object({
  kind: Type.Union([Type.Literal('parley'), Type.Literal('presigned-post')]),
  fileId: Id,
  key: Type.String(),
  expiresAt: Type.Integer(),
  maxBytes: Type.Integer(),
  contentType: Type.String(),
  method: Type.String(),
  url: Type.String({ description: 'Where to send the bytes: a Parley URL (kind parley) or the store (kind presigned-post)' }),
  headers: Type.Optional(Type.Record(Type.String(), Type.String())),
  token: Type.Optional(Type.String()),
  fields: Type.Optional(Type.Record(Type.String(), Type.String())),
  confirmUrl: Type.Optional(Type.String()),
});
