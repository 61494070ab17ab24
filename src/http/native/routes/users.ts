import { Type } from '@sinclair/typebox';
import type { NativeApp } from '../plugin.ts';
import { authenticate, requireUser } from '../auth.ts';
import { IdParam, PageQuery, User, errorsOf, paged } from '../schemas.ts';

const Profile = Type.Record(Type.String(), Type.Unknown());
const NewUser = Type.Object(
  {
    handle: Type.String({ minLength: 1, maxLength: 64 }),
    displayName: Type.Optional(Type.String({ maxLength: 128 })),
    avatar: Type.Optional(Type.String({ maxLength: 2048 })),
    profile: Type.Optional(Profile),
    password: Type.Optional(Type.String({ minLength: 8, maxLength: 256 })),
  },
  { additionalProperties: false },
);
const UserPatch = Type.Object(
  {
    displayName: Type.Optional(Type.String({ maxLength: 128 })),
    avatar: Type.Optional(Type.String({ maxLength: 2048 })),
    profile: Type.Optional(Profile),
    password: Type.Optional(Type.String({ minLength: 8, maxLength: 256 })),
  },
  { additionalProperties: false, minProperties: 1 },
);

const MePatch = Type.Object(
  {
    displayName: Type.Optional(Type.String({ maxLength: 128 })),
    avatar: Type.Optional(Type.String({ maxLength: 2048 })),
    profile: Type.Optional(Profile),
    password: Type.Optional(Type.String({ minLength: 8, maxLength: 256, description: 'A new password; needs currentPassword, and ends every other session of the user.' })),
    currentPassword: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'The password in force; required with password.' })),
  },
  { additionalProperties: false, minProperties: 1 },
);
// The User shape inlined (a $ref from a response schema without its own $id does not resolve).
const { $id: _userId, ...UserShape } = User;
const MeUpdated = Type.Object({
  ...UserShape.properties,
  revokedTokens: Type.Integer({ minimum: 0, description: "How many of the user's other tokens the change revoked (a new password ends every other session)." }),
});

export function userRoutes(app: NativeApp): void {
  const { core } = app;

  app.post('/users', { schema: { tags: ['users'], summary: 'Create a user (admin)', body: NewUser, response: { 201: User, ...errorsOf('admin_required', 'forbidden', 'app_not_found', 'handle_taken') } } }, async (req, reply) => {
    const user = await core.users.createBy(await authenticate(core, req), req.body);
    reply.code(201);
    return user;
  });

  app.get('/users', { schema: { tags: ['users'], summary: 'List users, or find one by handle', querystring: Type.Intersect([PageQuery, Type.Object({ handle: Type.Optional(Type.String({ maxLength: 64 })) })]), response: { 200: paged(User), ...errorsOf('admin_required', 'forbidden', 'user_not_found') } } }, async (req) => {
    const p = await authenticate(core, req);
    if (req.query.handle !== undefined) {
      // Any member of the app may look a user up by name (to start a chat).
      const u = await core.users.getByHandle(p.appId, req.query.handle);
      return { items: [u], total: 1 };
    }
    return core.users.listBy(p, { limit: req.query.limit ?? 50, ...(req.query.cursor ? { cursor: req.query.cursor } : {}) });
  });

  app.get('/users/:id', { schema: { tags: ['users'], summary: 'Get a user', params: IdParam, response: { 200: User, ...errorsOf('user_not_found') } } }, async (req) => {
    const p = await authenticate(core, req);
    return core.users.get(p.appId, Number(req.params.id));
  });

  app.patch('/users/:id', { schema: { tags: ['users'], summary: 'Update a user (admin)', params: IdParam, body: UserPatch, response: { 200: User, ...errorsOf('admin_required', 'forbidden', 'user_not_found') } } }, async (req) => {
    return core.users.updateBy(await authenticate(core, req), Number(req.params.id), req.body);
  });

  app.get('/me', { schema: { tags: ['users'], summary: 'The calling user', response: { 200: User, ...errorsOf('forbidden', 'user_not_found') } } }, async (req) => {
    const p = await authenticate(core, req);
    return core.users.get(p.appId, requireUser(p));
  });

  app.patch('/me', { schema: { tags: ['users'], summary: 'Update the calling user (a new password needs the current one)', body: MePatch, response: { 200: MeUpdated, ...errorsOf('forbidden', 'rate_limited', 'user_not_found') } } }, async (req) => {
    const p = await authenticate(core, req);
    requireUser(p);
    const { user, revokedTokens } = await core.accounts.updateSelf(p, req.body, req.ip);
    return { ...user, revokedTokens };
  });
}
