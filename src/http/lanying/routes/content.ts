// lanying-group-api.md: announcements (4.4–4.8) and shared files (4.19–4.23).

import { Type } from '@sinclair/typebox';
import { isParleyError } from '../../../core/errors.ts';
import { actorOf } from '../auth.ts';
import { ok, Reply } from '../envelope.ts';
import { whole } from '../paging.ts';
import { caller, type LanyingApp } from '../plugin.ts';
import { announcement, groupFile } from '../present.ts';
import { lanyingCode } from '../errors.ts';
import { Announcement, Body, FileResult, GroupFile, GroupQuery, id, IdList, ids, int, Query, Text, WireId, WireInt } from '../schemas.ts';
import { queryOrBody } from './query-or-body.ts';

const AnnouncementQuery = Query({ group_id: WireId, announcement_id: WireId });

export function contentRoutes(app: LanyingApp): void {
  const { core } = app;

  app.get('/group/announcement', { schema: { querystring: AnnouncementQuery, response: { 200: Reply(Announcement) } } }, async (req) => {
    const a = await core.groups.announcements.get(actorOf(caller(req)), id(req.query.group_id, 'group_id'), id(req.query.announcement_id, 'announcement_id'));
    return ok(announcement(a));
  });

  app.route({
    method: ['DELETE', 'POST'],
    url: '/group/announcement/delete',
    schema: { querystring: Query({ group_id: Type.Optional(WireId), announcement_id: Type.Optional(WireId) }), response: { 200: Reply(Type.Object({})) } },
    handler: async (req) => {
      await core.groups.announcements.delete(actorOf(caller(req)), queryOrBody(req, 'group_id'), queryOrBody(req, 'announcement_id'));
      return ok({});
    },
  });

  // 4.6 "编辑群公告" publishes a new announcement (it answers with its new id).
  app.post('/group/announcement/edit', { schema: { body: Body({ group_id: WireId, title: Text(256), content: Text(8192) }), response: { 200: Reply(Announcement) } } }, async (req) => {
    const a = await core.groups.announcements.post(actorOf(caller(req)), id(req.body.group_id, 'group_id'), { title: req.body.title, content: req.body.content });
    return ok(announcement(a));
  });

  app.get('/group/announcement/last', { schema: { querystring: GroupQuery, response: { 200: Reply(Announcement) } } }, async (req) => {
    return ok(announcement(await core.groups.announcements.latest(actorOf(caller(req)), id(req.query.group_id, 'group_id'))));
  });

  app.get('/group/announcement/list', { schema: { querystring: GroupQuery, response: { 200: Reply(Type.Array(Announcement)) } } }, async (req) => {
    const actor = actorOf(caller(req));
    const groupId = id(req.query.group_id, 'group_id');
    return ok((await whole((o) => core.groups.announcements.list(actor, groupId, o))).map(announcement));
  });

  app.get('/group/file', { schema: { querystring: Query({ group_id: WireId, file_id: WireId }), response: { 200: Reply(GroupFile) } } }, async (req) => {
    return ok(groupFile(await core.groups.files.get(actorOf(caller(req)), id(req.query.group_id, 'group_id'), id(req.query.file_id, 'file_id'))));
  });

  app.get('/group/file/list', { schema: { querystring: GroupQuery, response: { 200: Reply(Type.Array(GroupFile)) } } }, async (req) => {
    const actor = actorOf(caller(req));
    const groupId = id(req.query.group_id, 'group_id');
    return ok((await whole((o) => core.groups.files.list(actor, groupId, o))).map(groupFile));
  });

  app.post(
    '/group/file/upload',
    { schema: { body: Body({ group_id: WireId, name: Text(512), size: WireInt(0, Number.MAX_SAFE_INTEGER), type: Type.Optional(Text(128)), url: Text(2048) }), response: { 200: Reply(GroupFile) } } },
    async (req) => {
      const b = req.body;
      const f = await core.groups.files.add(actorOf(caller(req)), id(b.group_id, 'group_id'), { name: b.name, size: int(b.size, 'size'), url: b.url, ...(b.type !== undefined ? { type: b.type } : {}) });
      return ok(groupFile(f));
    },
  );

  app.route({
    method: ['PUT', 'POST'],
    url: '/group/file/update_name',
    schema: { body: Body({ group_id: WireId, file_id: WireId, name: Text(512) }), response: { 200: Reply(Type.Boolean()) } },
    handler: async (req) => {
      await core.groups.files.rename(actorOf(caller(req)), id(req.body.group_id, 'group_id'), id(req.body.file_id, 'file_id'), req.body.name);
      return ok(true);
    },
  });

  // 4.20: per file {file_id, result, reason}; one file's refusal does not stop the others.
  app.route({
    method: ['DELETE', 'POST'],
    url: '/group/file/delete',
    schema: { body: Body({ group_id: WireId, file_list: IdList }), response: { 200: Reply(Type.Array(FileResult)) } },
    handler: async (req) => {
      const actor = actorOf(caller(req));
      const groupId = id(req.body.group_id, 'group_id');
      const out = [];
      for (const fileId of ids(req.body.file_list, 'file_list')) {
        try {
          await core.groups.files.delete(actor, groupId, fileId);
          out.push({ file_id: fileId, reason: '', result: 'success' });
        } catch (e) {
          if (!isParleyError(e)) throw e;
          out.push({ file_id: fileId, reason: `${lanyingCode[e.code]}:${e.code}`, result: 'fail' });
        }
      }
      return ok(out);
    },
  });
}
