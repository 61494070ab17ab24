// /v1/groups/:groupId/{members,admins,mutes,blocks}: membership, roles and moderation.

import { Type } from '@sinclair/typebox';
import type { NativeApp } from '../plugin.ts';
import { authenticate } from '../auth.ts';
import { Id, PageQuery, errorsOf, paged } from '../schemas.ts';
import { groupRefusals } from './group-refusals.ts';
import { GroupIdParam, GroupUserParam, MemberView, MuteMany, Results, UserIds, actorOf, showMember, showResults } from './groups-schemas.ts';
import { toMuteSpec } from './groups.ts';

const tags = ['groups'];
const Block = Type.Object({ userId: Id, blockedBy: Type.Union([Id, Type.Null()]), createdAt: Type.Integer() });

export function groupMemberRoutes(app: NativeApp): void {
  const { core } = app;
  const g = core.groups;
  const now = () => core.clock.now();
  const gid = (p: { groupId: string }) => Number(p.groupId);
  const page = (q: { cursor?: string; limit?: number }) => ({ limit: q.limit ?? 50, ...(q.cursor ? { cursor: q.cursor } : {}) });

  app.get('/groups/:groupId/members', { schema: { tags, summary: 'Members in join order, with the total', params: GroupIdParam, querystring: PageQuery, response: { 200: paged(MemberView), ...errorsOf(...groupRefusals('view_members', { reads: true })) } } }, async (req) => {
    const actor = actorOf(await authenticate(core, req));
    const r = await g.members.list(actor, gid(req.params), page(req.query));
    return { ...r, items: r.items.map((m) => showMember(m, now())) };
  });

  app.post('/groups/:groupId/members', { schema: { tags, summary: 'Add users directly (per-user results)', params: GroupIdParam, body: UserIds, response: { 200: Results, ...errorsOf(...groupRefusals('add_members')) } } }, async (req) => {
    const actor = actorOf(await authenticate(core, req));
    return showResults(await g.members.add(actor, gid(req.params), req.body.userIds));
  });

  app.post('/groups/:groupId/members/remove', { schema: { tags, summary: 'Kick members (per-user results)', params: GroupIdParam, body: UserIds, response: { 200: Results, ...errorsOf(...groupRefusals('kick')) } } }, async (req) => {
    const actor = actorOf(await authenticate(core, req));
    return showResults(await g.members.kick(actor, gid(req.params), req.body.userIds));
  });

  app.get('/groups/:groupId/members/:userId', { schema: { tags, summary: 'One member', params: GroupUserParam, response: { 200: MemberView, ...errorsOf(...groupRefusals('view_members', { reads: true })) } } }, async (req) => {
    const actor = actorOf(await authenticate(core, req));
    return showMember(await g.members.get(actor, gid(req.params), Number(req.params.userId)), now());
  });

  app.delete('/groups/:groupId/members/:userId', { schema: { tags, summary: 'Kick one member', params: GroupUserParam, response: { 200: Results, ...errorsOf(...groupRefusals('kick')) } } }, async (req) => {
    const actor = actorOf(await authenticate(core, req));
    return showResults(await g.members.kick(actor, gid(req.params), [Number(req.params.userId)]));
  });

  app.post('/groups/:groupId/join', { schema: { tags, summary: 'Join through a member who may invite (dtalk join-group)', params: GroupIdParam, body: Type.Object({ inviterId: Id }, { additionalProperties: false }), response: { 204: Type.Null(), ...errorsOf('group_not_found', 'group_dismissed', 'group_suspended', 'blocked_from_group', 'already_group_member', 'not_group_member', 'invite_needs_approval', 'invite_not_allowed', 'group_full', 'forbidden') } } }, async (req, reply) => {
    const actor = actorOf(await authenticate(core, req));
    await g.members.joinVia(actor, gid(req.params), req.body.inviterId);
    return reply.code(204).send(null);
  });

  app.post('/groups/:groupId/leave', { schema: { tags, summary: 'Leave the group (the owner must transfer first)', params: GroupIdParam, response: { 204: Type.Null(), ...errorsOf(...groupRefusals('leave')) } } }, async (req, reply) => {
    const actor = actorOf(await authenticate(core, req));
    await g.members.leave(actor, gid(req.params));
    return reply.code(204).send(null);
  });

  app.get('/groups/:groupId/admins', { schema: { tags, summary: 'The admins', params: GroupIdParam, response: { 200: Type.Object({ items: Type.Array(MemberView) }), ...errorsOf(...groupRefusals('view_members', { reads: true })) } } }, async (req) => {
    const actor = actorOf(await authenticate(core, req));
    return { items: (await g.roles.listAdmins(actor, gid(req.params))).map((m) => showMember(m, now())) };
  });

  app.post('/groups/:groupId/admins', { schema: { tags, summary: 'Make members admins (owner)', params: GroupIdParam, body: UserIds, response: { 200: Results, ...errorsOf(...groupRefusals('manage_admins')) } } }, async (req) => {
    const actor = actorOf(await authenticate(core, req));
    return showResults(await g.roles.addAdmins(actor, gid(req.params), req.body.userIds));
  });

  app.post('/groups/:groupId/admins/remove', { schema: { tags, summary: 'Make admins ordinary members (owner)', params: GroupIdParam, body: UserIds, response: { 200: Results, ...errorsOf(...groupRefusals('manage_admins')) } } }, async (req) => {
    const actor = actorOf(await authenticate(core, req));
    return showResults(await g.roles.removeAdmins(actor, gid(req.params), req.body.userIds));
  });

  app.get('/groups/:groupId/mutes', { schema: { tags, summary: 'Members muted now', params: GroupIdParam, querystring: PageQuery, response: { 200: paged(MemberView), ...errorsOf(...groupRefusals('view_members', { reads: true })) } } }, async (req) => {
    const actor = actorOf(await authenticate(core, req));
    const r = await g.moderation.listMuted(actor, gid(req.params), page(req.query));
    return { ...r, items: r.items.map((m) => showMember(m, now())) };
  });

  app.post('/groups/:groupId/mutes', { schema: { tags, summary: 'Mute members until a time, for a while, or for ever', params: GroupIdParam, body: MuteMany, response: { 200: Results, ...errorsOf(...groupRefusals('mute')) } } }, async (req) => {
    const actor = actorOf(await authenticate(core, req));
    const { userIds, ...spec } = req.body;
    return showResults(await g.moderation.mute(actor, gid(req.params), userIds, toMuteSpec(spec)));
  });

  app.post('/groups/:groupId/mutes/remove', { schema: { tags, summary: 'Unmute members', params: GroupIdParam, body: UserIds, response: { 200: Results, ...errorsOf(...groupRefusals('mute')) } } }, async (req) => {
    const actor = actorOf(await authenticate(core, req));
    return showResults(await g.moderation.unmute(actor, gid(req.params), req.body.userIds));
  });

  app.get('/groups/:groupId/blocks', { schema: { tags, summary: 'Blocked users', params: GroupIdParam, querystring: PageQuery, response: { 200: paged(Block), ...errorsOf(...groupRefusals('view_blocked', { reads: true })) } } }, async (req) => {
    const actor = actorOf(await authenticate(core, req));
    return g.moderation.listBlocked(actor, gid(req.params), page(req.query));
  });

  app.post('/groups/:groupId/blocks', { schema: { tags, summary: 'Block users (members among them are removed)', params: GroupIdParam, body: UserIds, response: { 200: Results, ...errorsOf(...groupRefusals('block')) } } }, async (req) => {
    const actor = actorOf(await authenticate(core, req));
    return showResults(await g.moderation.block(actor, gid(req.params), req.body.userIds));
  });

  app.post('/groups/:groupId/blocks/remove', { schema: { tags, summary: 'Unblock users', params: GroupIdParam, body: UserIds, response: { 200: Results, ...errorsOf(...groupRefusals('block')) } } }, async (req) => {
    const actor = actorOf(await authenticate(core, req));
    return showResults(await g.moderation.unblock(actor, gid(req.params), req.body.userIds));
  });
}
