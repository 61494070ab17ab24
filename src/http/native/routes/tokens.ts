import { Type } from '@sinclair/typebox';
import type { NativeApp } from '../plugin.ts';
import { authenticate } from '../auth.ts';
import { Id, IdParam, errorsOf } from '../schemas.ts';

const IssueBody = Type.Object(
  {
    kind: Type.Optional(Type.Union([Type.Literal('user'), Type.Literal('admin')], { default: 'user' })),
    userId: Type.Optional(Id),
    ttlSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 * 365 * 86400 })),
  },
  { additionalProperties: false },
);
const Issued = Type.Object({
  id: Id,
  token: Type.String(),
  kind: Type.String(),
  userId: Type.Union([Id, Type.Null()]),
  expiresAt: Type.Union([Type.Integer(), Type.Null()]),
});
const RevokeBody = Type.Object({ token: Type.String({ minLength: 1, maxLength: 512 }) }, { additionalProperties: false });

export function tokenRoutes(app: NativeApp): void {
  const { core } = app;

  app.post('/tokens', { schema: { tags: ['tokens'], summary: 'Issue a token (admin)', body: IssueBody, response: { 201: Issued, ...errorsOf('admin_required', 'forbidden', 'user_not_found') } } }, async (req, reply) => {
    const p = await authenticate(core, req);
    const kind = req.body.kind ?? 'user';
    const { token, record } = await core.tokens.issueBy(p, {
      kind,
      userId: req.body.userId ?? null,
      ...(req.body.ttlSeconds === undefined ? {} : { ttlSeconds: req.body.ttlSeconds }),
    });
    reply.code(201);
    return { id: record.id, token, kind: record.kind, userId: record.userId, expiresAt: record.expiresAt };
  });

  app.post('/tokens/revoke', { schema: { tags: ['tokens'], summary: 'Revoke a token by its value (admin)', body: RevokeBody, response: { 204: Type.Null(), ...errorsOf('admin_required', 'forbidden', 'not_found', 'conflict') } } }, async (req, reply) => {
    await core.tokens.revokeBy(await authenticate(core, req), { token: req.body.token });
    reply.code(204);
    return null;
  });

  app.delete('/tokens/:id', { schema: { tags: ['tokens'], summary: 'Revoke a token by id (admin)', params: IdParam, response: { 204: Type.Null(), ...errorsOf('admin_required', 'forbidden', 'not_found', 'conflict') } } }, async (req, reply) => {
    await core.tokens.revokeBy(await authenticate(core, req), { id: Number(req.params.id) });
    reply.code(204);
    return null;
  });

  app.post('/tokens/self/revoke', { schema: { tags: ['tokens'], summary: 'Revoke the calling token (sign out)', response: { 204: Type.Null() } } }, async (req, reply) => {
    await core.tokens.revokeBy(await authenticate(core, req), 'self');
    reply.code(204);
    return null;
  });
}
