// lanying-group-api.md: applications, invitations and QR codes (4.9–4.11,
// 4.30–4.32, 4.40, 4.41), plus the app-level QR routes the web SDK calls
// (/app/qrcode/group_sign, /app/qrcode/group_invite).

import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { actorOf, callerUserId } from '../auth.ts';
import { ok, PagedReply, Reply } from '../envelope.ts';
import { pagedReply } from '../paging.ts';
import { caller, type LanyingApp } from '../plugin.ts';
import { application, invitation, userResult } from '../present.ts';
import { Application, Body, bool, GroupQuery, id, IdList, ids, Invitation, PageQuery, Query, QrSign, Text, UserResult, WireBool, WireId } from '../schemas.ts';

const QrInfo = Type.String({ minLength: 1, maxLength: 2048 });
const Joined = Type.Object({ group_id: Type.Integer() });

// 4.9's and 4.30's statuses are 0 pending (待处理, awaiting a decision),
// 1 accepted and 2 declined. An expired application or invitation awaits
// nothing (handling it answers 20014 / 20015) and has no status of its own
// there, so neither list shows it.
const LISTED = ['pending', 'accepted', 'declined'] as const;

export function joiningRoutes(app: LanyingApp): void {
  const { core } = app;

  app.post('/group/apply', { schema: { body: Body({ group_id: WireId, reason: Type.Optional(Text(512)) }), response: { 200: Reply(UserResult) } } }, async (req) => {
    const c = caller(req);
    const userId = callerUserId(c);
    // apply_approval decides in core: 0 joins at once, 1 files an application, 2 refuses.
    await core.groups.applications.apply(actorOf(c), id(req.body.group_id, 'group_id'), req.body.reason ?? '');
    return ok({ reason: '', result: 'success', user_id: userId });
  });

  app.route({
    method: ['PUT', 'POST'],
    url: '/group/apply/handle',
    schema: { body: Body({ group_id: WireId, user_id: WireId, approval: WireBool }), response: { 200: Reply(UserResult) } },
    handler: async (req) => {
      const applicantId = id(req.body.user_id, 'user_id');
      await core.groups.applications.handle(actorOf(caller(req)), { groupId: id(req.body.group_id, 'group_id'), applicantId }, bool(req.body.approval));
      return ok({ reason: '', result: 'success', user_id: applicantId });
    },
  });

  app.post('/group/application_list', { schema: { querystring: Query(PageQuery), body: Body({ group_list: IdList }), response: { 200: PagedReply(Application) } } }, async (req) => {
    const actor = actorOf(caller(req));
    const groupIds = ids(req.body.group_list, 'group_list');
    return pagedReply((o) => core.groups.applications.list(actor, groupIds, { ...o, statuses: LISTED }), req.query, application);
  });

  app.post('/group/invite', { schema: { body: Body({ group_id: WireId, user_list: IdList, reason: Type.Optional(Text(512)) }), response: { 200: Reply(Type.Array(UserResult)) } } }, async (req) => {
    // member_invite decides in core whether an ordinary member may invite.
    const list = await core.groups.invitations.invite(actorOf(caller(req)), id(req.body.group_id, 'group_id'), ids(req.body.user_list, 'user_list'), req.body.reason ?? '');
    return ok(list.map(userResult));
  });

  // 4.32: called by the invitee. `user_id` is the inviter for the native SDKs
  // and the invitee itself for the web UI (the original's source): both are accepted.
  app.route({
    method: ['PUT', 'POST'],
    url: '/group/invite/handle',
    schema: { body: Body({ group_id: WireId, user_id: WireId, approval: WireBool }), response: { 200: Reply(Type.Boolean()) } },
    handler: async (req) => {
      const c = caller(req);
      const me = callerUserId(c);
      const named = id(req.body.user_id, 'user_id');
      const groupId = id(req.body.group_id, 'group_id');
      await core.groups.invitations.respond(actorOf(c), named === me ? { groupId } : { groupId, inviterId: named }, bool(req.body.approval));
      return ok(true);
    },
  });

  app.get('/group/invitation_list', { schema: { querystring: Query(PageQuery), response: { 200: PagedReply(Invitation) } } }, async (req) => {
    const c = caller(req);
    const actor = actorOf(c);
    return pagedReply((o) => core.groups.invitations.listMine(actor, { ...o, statuses: LISTED, ...(c.actingGroupId ? { groupId: c.actingGroupId } : {}) }), req.query, invitation);
  });

  const sign = async (req: FastifyRequest, groupIdText: unknown) => {
    const s = await core.groups.qrCodes.sign(actorOf(caller(req)), id(groupIdText, 'group_id'));
    return ok({ create_at: s.createdAt, expire_at: s.expiresAt, qr_info: s.code });
  };
  const redeem = async (req: FastifyRequest, code: string) => {
    const g = await core.groups.qrCodes.redeem(actorOf(caller(req)), code);
    return ok({ group_id: g.id });
  };

  app.get('/group/qrcode/sign', { schema: { querystring: GroupQuery, response: { 200: Reply(QrSign) } } }, async (req) => sign(req, req.query.group_id));
  app.post('/group/qrcode/invite', { schema: { body: Body({ qr_info: QrInfo }), response: { 200: Reply(Joined) } } }, async (req) => redeem(req, req.body.qr_info));
  app.get('/app/qrcode/group_sign', { schema: { querystring: GroupQuery, response: { 200: Reply(QrSign) } } }, async (req) => sign(req, req.query.group_id));
  app.get('/app/qrcode/group_invite', { schema: { querystring: Query({ qr_info: QrInfo }), response: { 200: Reply(Joined) } } }, async (req) => redeem(req, req.query.qr_info));
}
