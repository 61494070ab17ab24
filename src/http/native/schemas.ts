import { Type, type TSchema } from '@sinclair/typebox';
import { errorsOf } from './error-responses.ts';

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

export { errorsOf } from './error-responses.ts';

/**
 * The generic error responses, for a route that has not declared its own yet:
 * prefer `...errorsOf(<the core codes the route can answer>)`
 * (error-responses.ts); what every route can answer is added for you.
 */
export const errors = errorsOf('invalid_argument', 'unauthenticated', 'forbidden', 'not_found', 'conflict');
