// lanying-group-api.md: creating, reading, editing, destroying and
// transferring groups (4.16, 4.17, 4.24–4.29, 4.39, 4.42–4.50, 4.53), plus
// the settings routes the web SDK calls beyond the document
// (/group/settings/hide_member_info).

import { Type } from '@sinclair/typebox';
import type { Member } from '../../../core/groups/model.ts';
import { actorOf, callerUserId } from '../auth.ts';
import { ok, Reply } from '../envelope.ts';
import { caller, type LanyingApp } from '../plugin.ts';
import { whole } from '../paging.ts';
import { banExpireTime, groupBrief, groupInfo, KIND_OF_TYPE, POLICY_OF_APPROVAL } from '../present.ts';
import { Body, bool, GroupBody, GroupBrief, GroupInfo, GroupQuery, id, IdList, ids, int, Query, text, Text, UserResult, WireBool, WireId, WireInt, WireText } from '../schemas.ts';
import { queryOrBody } from './query-or-body.ts';

const CreateBody = Body({
  avatar: Type.Optional(Text(2048)),
  description: Type.Optional(Text(4096)),
  name: Type.Optional(Text(128)),
  type: Type.Optional(WireInt(0, 2)),
  user_list: Type.Optional(IdList),
});
const ValueBody = (maxLength: number) => Body({ group_id: WireId, value: WireText(maxLength) });
const FlagBody = Body({ group_id: WireId, value: WireBool });

// Lanying's create defaults (the original's source, quick-start response): status 0,
// type 0, member_invite true, apply_approval 1, read_ack false,
// history_visible false, member_modify false.
const CREATE_DEFAULTS = { joinPolicy: 'approval', invitePolicy: 'members', readReceipts: false, historyVisible: false, memberModify: false } as const;

export function groupRoutes(app: LanyingApp): void {
  const { core } = app;
  const now = () => core.clock.now();

  /** The caller's own membership (for msg_mute_mode / msg_push_mode); none for the app admin or outsiders. */
  const myMember = async (actor: ReturnType<typeof actorOf>, groupId: number): Promise<Member | undefined> => {
    if (actor.userId === null) return undefined;
    const [m] = await core.groups.profiles.many(actor, groupId, [actor.userId]).catch(() => [] as Member[]);
    return m;
  };
  const info = async (actor: ReturnType<typeof actorOf>, groupId: number) => {
    const g = await core.groups.lifecycle.get(actor, groupId);
    return ok(groupInfo(g, await myMember(actor, g.id), now()));
  };

  app.post('/group/create', { schema: { body: CreateBody, response: { 200: Reply(GroupInfo) } } }, async (req) => {
    const c = caller(req);
    const actor = actorOf(c);
    const b = req.body;
    const { group } = await core.groups.lifecycle.create(actor, {
      ...(b.name !== undefined ? { name: b.name } : {}),
      ...(b.avatar !== undefined ? { avatar: b.avatar } : {}),
      ...(b.description !== undefined ? { description: b.description } : {}),
      kind: KIND_OF_TYPE[b.type === undefined ? 0 : int(b.type, 'type')] ?? 'private',
      settings: { ...CREATE_DEFAULTS },
      memberIds: ids(b.user_list ?? [], 'user_list'),
      // An admin token creates for the user it acts as (header user_id); else it must name one.
      ...(actor.userId === null ? { ownerId: callerUserId(c) } : {}),
    });
    return ok(groupInfo(group, await myMember(actor, group.id), now()));
  });

  app.route({
    method: ['DELETE', 'POST'],
    url: '/group/destroy',
    schema: { querystring: Query({ group_id: Type.Optional(WireId) }), response: { 200: Reply(Type.Boolean()) } },
    handler: async (req) => {
      await core.groups.lifecycle.dismiss(actorOf(caller(req)), queryOrBody(req, 'group_id'));
      return ok(true);
    },
  });

  app.get('/group/info', { schema: { querystring: GroupQuery, response: { 200: Reply(GroupInfo) } } }, async (req) => info(actorOf(caller(req)), id(req.query.group_id, 'group_id')));
  app.get('/group/settings', { schema: { querystring: GroupQuery, response: { 200: Reply(GroupInfo) } } }, async (req) => info(actorOf(caller(req)), id(req.query.group_id, 'group_id')));

  app.post('/group/info/batch', { schema: { body: Body({ group_list: IdList }), response: { 200: Reply(Type.Array(GroupBrief)) } } }, async (req) => {
    const actor = actorOf(caller(req));
    const list = await core.groups.lifecycle.batchInfo(actor, ids(req.body.group_list, 'group_list'));
    const out = [];
    for (const { group, joined } of list) out.push(groupBrief(group, joined ? await myMember(actor, group.id) : undefined));
    return ok(out);
  });

  const infoField = (path: string, field: 'avatar' | 'description' | 'ext' | 'name', maxLength: number) =>
    app.route({
      method: ['PUT', 'POST'],
      url: path,
      schema: { body: ValueBody(maxLength), response: { 200: Reply(Type.Boolean()) } },
      handler: async (req) => {
        await core.groups.settings.updateInfo(actorOf(caller(req)), id(req.body.group_id, 'group_id'), { [field]: text(req.body.value) });
        return ok(true);
      },
    });
  infoField('/group/info/avatar', 'avatar', 2048);
  infoField('/group/info/description', 'description', 4096);
  infoField('/group/info/ext', 'ext', 16384);
  infoField('/group/info/name', 'name', 128);

  const flag = (path: string, patch: (v: boolean) => Parameters<typeof core.groups.settings.updateSettings>[2]) =>
    app.route({
      method: ['PUT', 'POST'],
      url: path,
      schema: { body: FlagBody, response: { 200: Reply(Type.Boolean()) } },
      handler: async (req) => {
        await core.groups.settings.updateSettings(actorOf(caller(req)), id(req.body.group_id, 'group_id'), patch(bool(req.body.value)));
        return ok(true);
      },
    });
  flag('/group/settings/allow_member_invitation', (v) => ({ invitePolicy: v ? 'members' : 'admins' }));
  flag('/group/settings/allow_member_modify', (v) => ({ memberModify: v }));
  flag('/group/settings/enable_read_ack', (v) => ({ readReceipts: v }));
  flag('/group/settings/history_visible', (v) => ({ historyVisible: v }));

  app.route({
    method: ['PUT', 'POST'],
    url: '/group/settings/require_admin_approval',
    schema: { body: Body({ group_id: WireId, apply_approval: WireInt(0, 2) }), response: { 200: Reply(Type.Boolean()) } },
    handler: async (req) => {
      const policy = POLICY_OF_APPROVAL[int(req.body.apply_approval, 'apply_approval')];
      await core.groups.settings.updateSettings(actorOf(caller(req)), id(req.body.group_id, 'group_id'), { joinPolicy: policy });
      return ok(true);
    },
  });

  // Beyond the document: the web SDK's "hide member info" switch (a later
  // Lanying setting, 4.47), stored in core's hideMemberInfo and shown as
  // `hide_member_info` in the group's info, where the web UI reads it: the
  // rule is the client's (see README, decisions).
  flag('/group/settings/hide_member_info', (v) => ({ hideMemberInfo: v }));

  // 4.45: duration in minutes; −1 (as ban_expire_time shows it) mutes for ever.
  app.post('/group/settings/ban_all', { schema: { body: Body({ group_id: WireId, duration: WireInt(-1, 1_000_000_000) }), response: { 200: Reply(Type.Object({ ban_expire_time: Type.Integer() })) } } }, async (req) => {
    const minutes = int(req.body.duration, 'duration');
    const spec = minutes === -1 ? ({ forever: true } as const) : { forMs: minutes * 60_000 };
    const g = await core.groups.settings.muteAll(actorOf(caller(req)), id(req.body.group_id, 'group_id'), spec);
    return ok({ ban_expire_time: banExpireTime(g.muteAllUntil, now()) });
  });

  app.post('/group/settings/unban_all', { schema: { body: GroupBody, response: { 200: Reply(Type.Boolean()) } } }, async (req) => {
    await core.groups.settings.unmuteAll(actorOf(caller(req)), id(req.body.group_id, 'group_id'));
    return ok(true);
  });

  app.route({
    method: ['PUT', 'POST'],
    url: '/group/transfer',
    schema: { body: Body({ group_id: WireId, new_owner: WireId }), response: { 200: Reply(UserResult) } },
    handler: async (req) => {
      const newOwner = id(req.body.new_owner, 'new_owner');
      await core.groups.lifecycle.transfer(actorOf(caller(req)), id(req.body.group_id, 'group_id'), newOwner);
      return ok({ reason: '', result: 'success', user_id: newOwner });
    },
  });

  app.get('/group/user_joined', { schema: { response: { 200: Reply(Type.Array(Type.Integer())) } } }, async (req) => {
    const actor = actorOf(caller(req));
    const userId = callerUserId(caller(req));
    return ok((await whole((o) => core.groups.lifecycle.listOf(actor, { ...o, userId }))).map((g) => g.id));
  });

  app.get('/group/public_list', { schema: { response: { 200: Reply(Type.Array(Type.Integer())) } } }, async (req) => {
    const actor = actorOf(caller(req));
    return ok((await whole((o) => core.groups.lifecycle.listPublic(actor, o))).map((g) => g.id));
  });
}
