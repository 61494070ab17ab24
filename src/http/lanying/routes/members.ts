// lanying-group-api.md: members, admins, display names, notification modes,
// leaving, kicking, mutes and the black list (4.1–4.3, 4.12–4.15, 4.18,
// 4.33–4.38, 4.51, 4.52), plus /group/msg/not_disturb which the web SDK calls.

import { Type } from '@sinclair/typebox';
import type { MemberResult } from '../../../core/groups/model.ts';
import { actorOf, callerUserId } from '../auth.ts';
import { ok, PagedReply, Reply } from '../envelope.ts';
import { pagedReply } from '../paging.ts';
import { caller, type LanyingApp } from '../plugin.ts';
import { blocked, member, userResult } from '../present.ts';
import { Blocked, Body, bool, GroupQuery, id, IdList, ids, int, Member, PageQuery, Query, text, UserResult, WireBool, WireId, WireInt, WireText } from '../schemas.ts';
import { queryOrBody } from './query-or-body.ts';

const ListBody = Body({ group_id: WireId, user_list: IdList });
const Results = Reply(Type.Array(UserResult));

export function memberRoutes(app: LanyingApp): void {
  const { core } = app;
  const now = () => core.clock.now();
  const results = (list: MemberResult[]) => ok(list.map(userResult));

  /** A per-user batch route: body {group_id, user_list}, answer [{user_id, result, reason}]. */
  const batch = (methods: ('POST' | 'DELETE')[], url: string, run: (actor: ReturnType<typeof actorOf>, groupId: number, userIds: number[]) => Promise<MemberResult[]>) =>
    app.route({
      method: methods,
      url,
      schema: { body: ListBody, response: { 200: Results } },
      handler: async (req) => results(await run(actorOf(caller(req)), id(req.body.group_id, 'group_id'), ids(req.body.user_list, 'user_list'))),
    });

  batch(['POST'], '/group/admin/add', (a, g, u) => core.groups.roles.addAdmins(a, g, u));
  batch(['DELETE', 'POST'], '/group/admin/remove', (a, g, u) => core.groups.roles.removeAdmins(a, g, u));
  batch(['DELETE', 'POST'], '/group/kick', (a, g, u) => core.groups.members.kick(a, g, u));
  batch(['POST'], '/group/block', (a, g, u) => core.groups.moderation.block(a, g, u));
  batch(['DELETE', 'POST'], '/group/unblock', (a, g, u) => core.groups.moderation.unblock(a, g, u));
  batch(['POST'], '/group/unban', (a, g, u) => core.groups.moderation.unmute(a, g, u));

  // 4.12: duration in minutes; members' expired_time then shows the ms deadline.
  app.post('/group/ban', { schema: { body: Body({ group_id: WireId, user_list: IdList, duration: WireInt(1, 1_000_000_000) }), response: { 200: Results } } }, async (req) => {
    const minutes = int(req.body.duration, 'duration');
    return results(await core.groups.moderation.mute(actorOf(caller(req)), id(req.body.group_id, 'group_id'), ids(req.body.user_list, 'user_list'), { forMs: minutes * 60_000 }));
  });

  app.get('/group/admin_list', { schema: { querystring: GroupQuery, response: { 200: Reply(Type.Array(Member)) } } }, async (req) => {
    const list = await core.groups.roles.listAdmins(actorOf(caller(req)), id(req.query.group_id, 'group_id'));
    return ok(list.map((m) => member(m, now())));
  });

  const PagedGroupQuery = Query({ group_id: WireId, ...PageQuery });
  app.get('/group/member_list', { schema: { querystring: PagedGroupQuery, response: { 200: PagedReply(Member) } } }, async (req) => {
    const actor = actorOf(caller(req));
    const groupId = id(req.query.group_id, 'group_id');
    return pagedReply((o) => core.groups.members.list(actor, groupId, o), req.query, (m) => member(m, now()));
  });
  app.get('/group/banned_list', { schema: { querystring: PagedGroupQuery, response: { 200: PagedReply(Member) } } }, async (req) => {
    const actor = actorOf(caller(req));
    const groupId = id(req.query.group_id, 'group_id');
    return pagedReply((o) => core.groups.moderation.listMuted(actor, groupId, o), req.query, (m) => member(m, now()));
  });
  app.get('/group/blocked_list', { schema: { querystring: PagedGroupQuery, response: { 200: PagedReply(Blocked) } } }, async (req) => {
    const actor = actorOf(caller(req));
    const groupId = id(req.query.group_id, 'group_id');
    return pagedReply((o) => core.groups.moderation.listBlocked(actor, groupId, o), req.query, blocked);
  });

  app.post('/group/members/display_name', { schema: { body: ListBody, response: { 200: Reply(Type.Array(Member)) } } }, async (req) => {
    const list = await core.groups.profiles.many(actorOf(caller(req)), id(req.body.group_id, 'group_id'), ids(req.body.user_list, 'user_list'));
    return ok(list.map((m) => member(m, now())));
  });

  app.route({
    method: ['PUT', 'POST'],
    url: '/group/display_name',
    schema: { body: Body({ group_id: WireId, value: WireText(128) }), response: { 200: Reply(Type.Boolean()) } },
    handler: async (req) => {
      const c = caller(req);
      await core.groups.profiles.update(actorOf(c), id(req.body.group_id, 'group_id'), callerUserId(c), { displayName: text(req.body.value) });
      return ok(true);
    },
  });

  app.route({
    method: ['PUT', 'POST'],
    url: '/group/msg/mute_mode',
    schema: { body: Body({ group_id: WireId, msg_mute_mode: WireInt(0, 2) }), response: { 200: Reply(Type.Object({})) } },
    handler: async (req) => {
      const c = caller(req);
      const mode = int(req.body.msg_mute_mode, 'msg_mute_mode') as 0 | 1 | 2;
      await core.groups.profiles.update(actorOf(c), id(req.body.group_id, 'group_id'), callerUserId(c), { messageMuteMode: mode });
      return ok({});
    },
  });

  app.route({
    method: ['PUT', 'POST'],
    url: '/group/msg/push_mode',
    schema: { body: Body({ group_id: WireId, msg_push_mode: WireInt(0, 4) }), response: { 200: Reply(Type.Object({})) } },
    handler: async (req) => {
      const c = caller(req);
      const mode = int(req.body.msg_push_mode, 'msg_push_mode') as 0 | 1 | 2 | 3 | 4;
      await core.groups.profiles.update(actorOf(c), id(req.body.group_id, 'group_id'), callerUserId(c), { pushMode: mode });
      return ok({});
    },
  });

  // Beyond the document: the web SDK's "do not disturb" switch is mute mode 1
  // (no local notification) on, 0 off.
  app.post('/group/msg/not_disturb', { schema: { body: Body({ group_id: WireId, value: WireBool }), response: { 200: Reply(Type.Boolean()) } } }, async (req) => {
    const c = caller(req);
    await core.groups.profiles.update(actorOf(c), id(req.body.group_id, 'group_id'), callerUserId(c), { messageMuteMode: bool(req.body.value) ? 1 : 0 });
    return ok(true);
  });

  app.route({
    method: ['DELETE', 'POST'],
    url: '/group/leave',
    schema: { querystring: Query({ group_id: Type.Optional(WireId) }), response: { 200: Reply(Type.Boolean()) } },
    handler: async (req) => {
      await core.groups.members.leave(actorOf(caller(req)), queryOrBody(req, 'group_id'));
      return ok(true);
    },
  });
}
