import { Type, type TSchema } from '@sinclair/typebox';

// Shared JSON Schemas of the native API (they also feed /openapi.json).

export const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: '53-bit id' });
export const IdParam = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,16}$' }) });

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    }),
  },
  { $id: 'Error' },
);

export const User = Type.Object(
  {
    id: Id,
    handle: Type.String(),
    displayName: Type.String(),
    avatar: Type.String(),
    profile: Type.Record(Type.String(), Type.Unknown()),
    createdAt: Type.Integer(),
    updatedAt: Type.Integer(),
  },
  { $id: 'User' },
);

export const PageQuery = Type.Object({
  cursor: Type.Optional(Type.String({ maxLength: 512 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});

export const paged = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), next: Type.Optional(Type.String()), total: Type.Optional(Type.Integer()) });

/** Standard error responses for the OpenAPI document. */
export const errors = {
  400: Type.Ref('Error'),
  401: Type.Ref('Error'),
  403: Type.Ref('Error'),
  404: Type.Ref('Error'),
  409: Type.Ref('Error'),
};
