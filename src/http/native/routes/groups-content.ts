// /v1/groups: member profiles, announcements and group files.

import { Type } from '@sinclair/typebox';
import type { NativeApp } from '../plugin.ts';
import { authenticate } from '../auth.ts';
import { Id, PageQuery, errorsOf, paged } from '../schemas.ts';
import { groupRefusals } from './group-refusals.ts';
import { GroupIdParam, GroupUserParam, MemberView, actorOf, showMember } from './groups-schemas.ts';

const tags = ['groups'];
const AnnouncementView = Type.Object({ id: Id, groupId: Id, title: Type.String(), content: Type.String(), authorId: Type.Union([Id, Type.Null()]), createdAt: Type.Integer(), updatedAt: Type.Integer() });
const FileView = Type.Object({
  id: Id,
  groupId: Id,
  name: Type.String(),
  size: Type.Integer(),
  type: Type.String(),
  url: Type.String(),
  objectKey: Type.Union([Type.String(), Type.Null()]),
  uploaderId: Type.Union([Id, Type.Null()]),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
});
const AnnParams = Type.Object({ groupId: Type.String({ pattern: '^[0-9]{1,16}$' }), announcementId: Type.String({ pattern: '^[0-9]{1,16}$' }) });
const FileParams = Type.Object({ groupId: Type.String({ pattern: '^[0-9]{1,16}$' }), fileId: Type.String({ pattern: '^[0-9]{1,16}$' }) });
const ProfilePatch = Type.Object(
  {
    displayName: Type.Optional(Type.String({ maxLength: 128 })),
    messageMuteMode: Type.Optional(Type.Union([Type.Literal(0), Type.Literal(1), Type.Literal(2)])),
    pushMode: Type.Optional(Type.Union([Type.Literal(0), Type.Literal(1), Type.Literal(2), Type.Literal(3), Type.Literal(4)])),
  },
  { additionalProperties: false, minProperties: 1 },
);

export function groupContentRoutes(app: NativeApp): void {
  const { core } = app;
  const g = core.groups;
  const now = () => core.clock.now();
  const gid = (p: { groupId: string }) => Number(p.groupId);
  const page = (q: { cursor?: string; limit?: number }) => ({ limit: q.limit ?? 50, ...(q.cursor ? { cursor: q.cursor } : {}) });
  const strip = <T extends { appId: number }>({ appId: _a, ...rest }: T) => rest;

  app.patch('/groups/:groupId/members/:userId', { schema: { tags, summary: 'Set a display name (self, or staff for those below them) and own notification modes', params: GroupUserParam, body: ProfilePatch, response: { 200: MemberView, ...errorsOf(...groupRefusals('edit_own_profile'), 'group_admin_required', 'cannot_act_on_higher_role') } } }, async (req) => {
    const actor = actorOf(await authenticate(core, req));
    return showMember(await g.profiles.update(actor, gid(req.params), Number(req.params.userId), req.body), now());
  });

  app.post('/groups/:groupId/members/lookup', { schema: { tags, summary: 'Display names, join times and mutes of the listed users who are members', params: GroupIdParam, body: Type.Object({ userIds: Type.Array(Id, { minItems: 1, maxItems: 1000 }) }, { additionalProperties: false }), response: { 200: Type.Object({ items: Type.Array(MemberView) }), ...errorsOf(...groupRefusals('view_members', { reads: true })) } } }, async (req) => {
    const actor = actorOf(await authenticate(core, req));
    return { items: (await g.profiles.many(actor, gid(req.params), req.body.userIds)).map((m) => showMember(m, now())) };
  });

  app.get('/groups/:groupId/announcements', { schema: { tags, summary: 'Announcements, newest first', params: GroupIdParam, querystring: PageQuery, response: { 200: paged(AnnouncementView), ...errorsOf(...groupRefusals('read_content', { reads: true })) } } }, async (req) => {
    const actor = actorOf(await authenticate(core, req));
    const r = await g.announcements.list(actor, gid(req.params), page(req.query));
    return { ...r, items: r.items.map(strip) };
  });
  app.get('/groups/:groupId/announcements/latest', { schema: { tags, summary: 'The newest announcement', params: GroupIdParam, response: { 200: AnnouncementView, ...errorsOf(...groupRefusals('read_content', { reads: true }), 'announcement_not_found') } } }, async (req) => {
    const actor = actorOf(await authenticate(core, req));
    return strip(await g.announcements.latest(actor, gid(req.params)));
  });
  app.post('/groups/:groupId/announcements', { schema: { tags, summary: 'Post an announcement', params: GroupIdParam, body: Type.Object({ title: Type.String({ maxLength: 256 }), content: Type.String({ maxLength: 16384 }) }, { additionalProperties: false }), response: { 201: AnnouncementView, ...errorsOf(...groupRefusals('post_announcement')) } } }, async (req, reply) => {
    const actor = actorOf(await authenticate(core, req));
    reply.code(201);
    return strip(await g.announcements.post(actor, gid(req.params), req.body));
  });
  app.get('/groups/:groupId/announcements/:announcementId', { schema: { tags, summary: 'One announcement', params: AnnParams, response: { 200: AnnouncementView, ...errorsOf(...groupRefusals('read_content', { reads: true }), 'announcement_not_found') } } }, async (req) => {
    const actor = actorOf(await authenticate(core, req));
    return strip(await g.announcements.get(actor, gid(req.params), Number(req.params.announcementId)));
  });
  app.patch('/groups/:groupId/announcements/:announcementId', { schema: { tags, summary: 'Edit an announcement', params: AnnParams, body: Type.Object({ title: Type.Optional(Type.String({ maxLength: 256 })), content: Type.Optional(Type.String({ maxLength: 16384 })) }, { additionalProperties: false, minProperties: 1 }), response: { 200: AnnouncementView, ...errorsOf(...groupRefusals('post_announcement'), 'announcement_not_found') } } }, async (req) => {
    const actor = actorOf(await authenticate(core, req));
    return strip(await g.announcements.edit(actor, gid(req.params), Number(req.params.announcementId), req.body));
  });
  app.delete('/groups/:groupId/announcements/:announcementId', { schema: { tags, summary: 'Delete an announcement', params: AnnParams, response: { 204: Type.Null(), ...errorsOf(...groupRefusals('post_announcement'), 'announcement_not_found') } } }, async (req, reply) => {
    const actor = actorOf(await authenticate(core, req));
    await g.announcements.delete(actor, gid(req.params), Number(req.params.announcementId));
    return reply.code(204).send(null);
  });

  app.get('/groups/:groupId/files', { schema: { tags, summary: 'Shared files, newest first', params: GroupIdParam, querystring: PageQuery, response: { 200: paged(FileView), ...errorsOf(...groupRefusals('read_content', { reads: true })) } } }, async (req) => {
    const actor = actorOf(await authenticate(core, req));
    const r = await g.files.list(actor, gid(req.params), page(req.query));
    return { ...r, items: r.items.map(strip) };
  });
  app.post('/groups/:groupId/files', { schema: { tags, summary: 'Register a stored file in the group', params: GroupIdParam, body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 512 }), size: Type.Integer({ minimum: 0 }), type: Type.Optional(Type.String({ maxLength: 255 })), url: Type.String({ minLength: 1, maxLength: 4096 }), objectKey: Type.Optional(Type.String({ maxLength: 1024 })) }, { additionalProperties: false }), response: { 201: FileView, ...errorsOf(...groupRefusals('upload_file')) } } }, async (req, reply) => {
    const actor = actorOf(await authenticate(core, req));
    reply.code(201);
    return strip(await g.files.add(actor, gid(req.params), req.body));
  });
  app.get('/groups/:groupId/files/:fileId', { schema: { tags, summary: 'One file', params: FileParams, response: { 200: FileView, ...errorsOf(...groupRefusals('read_content', { reads: true }), 'group_file_not_found') } } }, async (req) => {
    const actor = actorOf(await authenticate(core, req));
    return strip(await g.files.get(actor, gid(req.params), Number(req.params.fileId)));
  });
  app.patch('/groups/:groupId/files/:fileId', { schema: { tags, summary: 'Rename a file (uploader or staff)', params: FileParams, body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 512 }) }, { additionalProperties: false }), response: { 200: FileView, ...errorsOf(...groupRefusals('manage_files'), 'group_file_not_found') } } }, async (req) => {
    const actor = actorOf(await authenticate(core, req));
    return strip(await g.files.rename(actor, gid(req.params), Number(req.params.fileId), req.body.name));
  });
  app.delete('/groups/:groupId/files/:fileId', { schema: { tags, summary: 'Delete a file (uploader or staff)', params: FileParams, response: { 204: Type.Null(), ...errorsOf(...groupRefusals('manage_files', { reads: true }), 'group_file_not_found') } } }, async (req, reply) => {
    const actor = actorOf(await authenticate(core, req));
    await g.files.delete(actor, gid(req.params), Number(req.params.fileId));
    return reply.code(204).send(null);
  });
}
