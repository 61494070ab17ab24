// /v1/groups: applications, invitations and QR codes.

import { Type } from '@sinclair/typebox';
import type { NativeApp } from '../plugin.ts';
import { authenticate } from '../auth.ts';
import { Id, PageQuery, errorsOf, paged } from '../schemas.ts';
import { groupRefusals } from './group-refusals.ts';
import { GroupIdParam, Results, actorOf, showResults } from './groups-schemas.ts';

const tags = ['groups'];
const Status = Type.Union([Type.Literal('pending'), Type.Literal('accepted'), Type.Literal('declined'), Type.Literal('expired')], {
  description: 'expired: still pending when its expiresAt passed (it can no longer be handled)',
});
const ApplicationView = Type.Object({
  id: Id,
  groupId: Id,
  applicantId: Id,
  inviterId: Type.Union([Id, Type.Null()]),
  reason: Type.String(),
  status: Status,
  handledBy: Type.Union([Id, Type.Null()]),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
  expiresAt: Type.Integer(),
});
const InvitationView = Type.Object({
  id: Id,
  groupId: Id,
  inviterId: Id,
  inviteeId: Id,
  reason: Type.String(),
  status: Status,
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
  expiresAt: Type.Integer(),
});
const Applied = Type.Object({ outcome: Type.Union([Type.Literal('joined'), Type.Literal('pending')]), application: Type.Optional(ApplicationView) });
const Decision = Type.Object({ approve: Type.Boolean() }, { additionalProperties: false });
const AppParams = Type.Object({ groupId: Type.String({ pattern: '^[0-9]{1,16}$' }), applicationId: Type.String({ pattern: '^[0-9]{1,16}$' }) });
const InvParams = Type.Object({ invitationId: Type.String({ pattern: '^[0-9]{1,16}$' }) });
const QrView = Type.Object({ code: Type.String(), groupId: Id, createdAt: Type.Integer(), expiresAt: Type.Integer() });

export function groupRequestRoutes(app: NativeApp): void {
  const { core } = app;
  const g = core.groups;
  const gid = (p: { groupId: string }) => Number(p.groupId);
  const page = (q: { cursor?: string; limit?: number }) => ({ limit: q.limit ?? 50, ...(q.cursor ? { cursor: q.cursor } : {}) });
  const strip = <T extends { appId: number }>({ appId: _a, ...rest }: T) => rest;

  app.post('/groups/:groupId/applications', { schema: { tags, summary: 'Apply to join: joined, pending or refused by the join policy', params: GroupIdParam, body: Type.Object({ reason: Type.Optional(Type.String({ maxLength: 1024 })) }, { additionalProperties: false }), response: { 200: Applied, ...errorsOf(...groupRefusals('apply'), 'join_refused', 'group_full') } } }, async (req) => {
    const actor = actorOf(await authenticate(core, req));
    const r = await g.applications.apply(actor, gid(req.params), req.body.reason ?? '');
    return r.outcome === 'joined' ? r : { outcome: r.outcome, application: strip(r.application) };
  });

  app.get('/groups/:groupId/applications', { schema: { tags, summary: 'Applications to the group (staff)', params: GroupIdParam, querystring: Type.Intersect([PageQuery, Type.Object({ status: Type.Optional(Status) })]), response: { 200: paged(ApplicationView), ...errorsOf(...groupRefusals('handle_applications', { reads: true })) } } }, async (req) => {
    const actor = actorOf(await authenticate(core, req));
    const r = await g.applications.list(actor, [gid(req.params)], { ...page(req.query), ...(req.query.status ? { statuses: [req.query.status] } : {}) });
    return { ...r, items: r.items.map(strip) };
  });

  app.post('/groups/:groupId/applications/:applicationId/decision', { schema: { tags, summary: 'Approve or reject an application (staff)', params: AppParams, body: Decision, response: { 200: ApplicationView, ...errorsOf(...groupRefusals('handle_applications'), 'application_not_found', 'application_handled', 'application_expired', 'group_full', 'already_group_member') } } }, async (req) => {
    const actor = actorOf(await authenticate(core, req));
    return strip(await g.applications.handle(actor, { groupId: gid(req.params), applicationId: Number(req.params.applicationId) }, req.body.approve));
  });

  app.post('/groups/:groupId/invitations', { schema: { tags, summary: 'Invite users (per-user results)', params: GroupIdParam, body: Type.Object({ userIds: Type.Array(Id, { minItems: 1, maxItems: 500 }), reason: Type.Optional(Type.String({ maxLength: 1024 })) }, { additionalProperties: false }), response: { 200: Results, ...errorsOf(...groupRefusals('invite')) } } }, async (req) => {
    const actor = actorOf(await authenticate(core, req));
    return showResults(await g.invitations.invite(actor, gid(req.params), req.body.userIds, req.body.reason ?? ''));
  });

  app.get('/groups/invitations', { schema: { tags, summary: 'Invitations the caller sent or received, newest first', querystring: Type.Intersect([PageQuery, Type.Object({ groupId: Type.Optional(Type.String({ pattern: '^[0-9]{1,16}$' })) })]), response: { 200: paged(InvitationView), ...errorsOf('forbidden') } } }, async (req) => {
    const actor = actorOf(await authenticate(core, req));
    const r = await g.invitations.listMine(actor, { ...page(req.query), ...(req.query.groupId ? { groupId: Number(req.query.groupId) } : {}) });
    return { ...r, items: r.items.map(strip) };
  });

  app.post('/groups/invitations/:invitationId/decision', { schema: { tags, summary: 'Accept or decline an invitation (the invitee)', params: InvParams, body: Type.Object({ accept: Type.Boolean() }, { additionalProperties: false }), response: { 200: InvitationView, ...errorsOf('forbidden', 'invitation_not_found', 'invitation_handled', 'invitation_expired', 'group_not_found', 'group_dismissed', 'group_suspended', 'group_full', 'blocked_from_group', 'already_group_member') } } }, async (req) => {
    const actor = actorOf(await authenticate(core, req));
    return strip(await g.invitations.respond(actor, { invitationId: Number(req.params.invitationId) }, req.body.accept));
  });

  app.post('/groups/:groupId/qr-codes', { schema: { tags, summary: 'Sign a QR code that lets its holder join until it expires', params: GroupIdParam, response: { 201: QrView, ...errorsOf(...groupRefusals('sign_qr_code'), 'app_not_found') } } }, async (req, reply) => {
    const actor = actorOf(await authenticate(core, req));
    reply.code(201);
    return g.qrCodes.sign(actor, gid(req.params));
  });

  app.post('/groups/qr-codes/redeem', { schema: { tags, summary: 'Join the group a QR code opens', body: Type.Object({ code: Type.String({ minLength: 1, maxLength: 2048 }) }, { additionalProperties: false }), response: { 200: Type.Object({ groupId: Id }), ...errorsOf('qr_code_invalid', 'qr_code_expired', 'forbidden', 'group_not_found', 'group_dismissed', 'group_suspended', 'group_full', 'blocked_from_group', 'already_group_member') } } }, async (req) => {
    const actor = actorOf(await authenticate(core, req));
    const group = await g.qrCodes.redeem(actor, req.body.code);
    return { groupId: group.id };
  });
}
