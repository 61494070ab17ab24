// /v1/groups: lifecycle and settings. Each handler authenticates, makes one
// call into core and shapes the answer.

import { Type } from '@sinclair/typebox';
import type { NativeApp } from '../plugin.ts';
import { authenticate } from '../auth.ts';
import { Id, PageQuery, errorsOf, paged } from '../schemas.ts';
import { groupRefusals } from './group-refusals.ts';
import { GroupIdParam, GroupView, InfoFields, MuteBody, PublicGroupView, Result, SettingsFields, actorOf, showGroup, showPublicGroup } from './groups-schemas.ts';
import type { MuteSpec } from '../../../core/groups/mute.ts';

const tags = ['groups'];
const NewGroup = Type.Object(
  {
    ...InfoFields,
    settings: Type.Optional(Type.Object(SettingsFields, { additionalProperties: false })),
    memberIds: Type.Optional(Type.Array(Id, { maxItems: 2000 })),
    ownerId: Type.Optional(Id),
    businessType: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    businessId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  },
  { additionalProperties: false },
);
const Created = Type.Object({ group: GroupView, members: Type.Array(Result), created: Type.Optional(Type.Boolean()) });
const Business = Type.Object({ businessType: Type.String({ minLength: 1, maxLength: 128 }), businessId: Type.String({ minLength: 1, maxLength: 128 }) });
const FindOrCreate = Type.Object({ ...NewGroup.properties, ...Business.properties }, { additionalProperties: false });
const InfoPatch = Type.Object(InfoFields, { additionalProperties: false, minProperties: 1 });
const SettingsPatch = Type.Object(SettingsFields, { additionalProperties: false, minProperties: 1 });
const Standing = Type.Object({ group: PublicGroupView, joined: Type.Boolean(), role: Type.Union([Type.String(), Type.Null()]) });
const ListQuery = Type.Intersect([PageQuery, Type.Object({ userId: Type.Optional(Type.String({ pattern: '^[0-9]{1,16}$' })), includeDismissed: Type.Optional(Type.Boolean()) })]);

export function toMuteSpec(b: { until?: number; minutes?: number; durationMs?: number; forever?: true }): MuteSpec {
  if (b.forever) return { forever: true };
  if (b.until !== undefined) return { until: b.until };
  if (b.minutes !== undefined) return { forMs: b.minutes * 60_000 };
  return { forMs: b.durationMs ?? 0 };
}

export function groupRoutes(app: NativeApp): void {
  const { core } = app;
  const g = core.groups;
  const now = () => core.clock.now();
  const gid = (p: { groupId: string }) => Number(p.groupId);

  app.post('/groups', { schema: { tags, summary: 'Create a group (the caller owns it; an admin names ownerId)', body: NewGroup, response: { 201: Created, ...errorsOf('forbidden', 'user_not_found', 'join_refused') } } }, async (req, reply) => {
    const actor = actorOf(await authenticate(core, req));
    const { businessType, businessId, ...input } = req.body;
    const r = await g.lifecycle.create(actor, { ...input, ...(businessType !== undefined && businessId !== undefined ? { business: { businessType, businessId } } : {}) });
    reply.code(201);
    return { group: showGroup({ ...r.group, role: r.group.ownerId === actor.userId ? 'owner' : null }, now()), members: r.members };
  });

  app.get('/groups', { schema: { tags, summary: 'The groups the caller (or, for an admin, userId) belongs to', querystring: ListQuery, response: { 200: paged(GroupView), ...errorsOf('forbidden') } } }, async (req) => {
    const actor = actorOf(await authenticate(core, req));
    const page = await g.lifecycle.listOf(actor, {
      limit: req.query.limit ?? 50,
      ...(req.query.cursor ? { cursor: req.query.cursor } : {}),
      ...(req.query.userId ? { userId: Number(req.query.userId) } : {}),
      ...(req.query.includeDismissed !== undefined ? { includeDismissed: req.query.includeDismissed } : {}),
    });
    return { ...page, items: page.items.map((x) => showGroup(x, now())) };
  });

  app.get('/groups/public', { schema: { tags, summary: 'Public groups of the app', querystring: PageQuery, response: { 200: paged(PublicGroupView) } } }, async (req) => {
    const actor = actorOf(await authenticate(core, req));
    const page = await g.lifecycle.listPublic(actor, { limit: req.query.limit ?? 50, ...(req.query.cursor ? { cursor: req.query.cursor } : {}) });
    return { ...page, items: page.items.map((x) => showPublicGroup(x, now())) };
  });

  app.post('/groups/batch', { schema: { tags, summary: 'Public info of many groups with the caller\'s standing in each', body: Type.Object({ groupIds: Type.Array(Id, { minItems: 1, maxItems: 500 }), userId: Type.Optional(Id) }, { additionalProperties: false }), response: { 200: Type.Object({ items: Type.Array(Standing) }), ...errorsOf('forbidden') } } }, async (req) => {
    const actor = actorOf(await authenticate(core, req));
    const items = await g.lifecycle.batchInfo(actor, req.body.groupIds, req.body.userId);
    return { items: items.map((x) => ({ ...x, group: showPublicGroup(x.group, now()) })) };
  });

  app.put('/groups/by-business', { schema: { tags, summary: 'Find the group bound to a business object, creating it on first call', body: FindOrCreate, response: { 200: Created, 201: Created, ...errorsOf('forbidden', 'user_not_found', 'join_refused', 'conflict') } } }, async (req, reply) => {
    const actor = actorOf(await authenticate(core, req));
    const { businessType, businessId, ...input } = req.body;
    const r = await g.lifecycle.findOrCreateByBusiness(actor, { businessType, businessId }, input);
    reply.code(r.created ? 201 : 200);
    return { group: showGroup(r.group, now()), members: r.members, created: r.created };
  });

  app.post('/groups/by-business/members', { schema: { tags, summary: 'Add a user to the group bound to a business object, creating the group (owned by that user) on first call', body: Type.Object({ ...NewGroup.properties, ...Business.properties, userId: Id }, { additionalProperties: false }), response: { 200: Type.Object({ group: GroupView, created: Type.Boolean(), joined: Type.Boolean() }), ...errorsOf('forbidden', 'user_not_found', 'join_refused', 'conflict', 'group_dismissed', 'group_suspended', 'blocked_from_group', 'group_full') } } }, async (req) => {
    const actor = actorOf(await authenticate(core, req));
    const { businessType, businessId, userId, ...input } = req.body;
    const r = await g.lifecycle.joinOrCreateByBusiness(actor, { businessType, businessId }, userId, input);
    return { ...r, group: showGroup(r.group, now()) };
  });

  app.get('/groups/by-business', { schema: { tags, summary: 'The group bound to a business object', querystring: Business, response: { 200: PublicGroupView, ...errorsOf('group_not_found', 'forbidden') } } }, async (req) => {
    const actor = actorOf(await authenticate(core, req));
    const found = await g.lifecycle.findByBusiness(actor, req.query);
    return showPublicGroup((await g.lifecycle.publicInfo(actor, found.id)).group, now());
  });

  app.get('/groups/:groupId', { schema: { tags, summary: 'A group, for its members', params: GroupIdParam, response: { 200: GroupView, ...errorsOf(...groupRefusals('view', { reads: true })) } } }, async (req) => {
    const actor = actorOf(await authenticate(core, req));
    return showGroup(await g.lifecycle.get(actor, gid(req.params)), now());
  });

  app.get('/groups/:groupId/public', { schema: { tags, summary: 'What anyone may see of a group, and the caller\'s standing', params: GroupIdParam, response: { 200: Standing, ...errorsOf('group_not_found', 'forbidden') } } }, async (req) => {
    const actor = actorOf(await authenticate(core, req));
    const r = await g.lifecycle.publicInfo(actor, gid(req.params));
    return { ...r, group: showPublicGroup(r.group, now()) };
  });

  app.patch('/groups/:groupId', { schema: { tags, summary: 'Edit name, public name, avatar, description, notice, ext, attrs, kind', params: GroupIdParam, body: InfoPatch, response: { 200: GroupView, ...errorsOf(...groupRefusals('update_info'), 'group_admin_required') } } }, async (req) => {
    const actor = actorOf(await authenticate(core, req));
    return showGroup(await g.settings.updateInfo(actor, gid(req.params), req.body), now());
  });

  app.patch('/groups/:groupId/settings', { schema: { tags, summary: 'Change capacity, policies and switches', params: GroupIdParam, body: SettingsPatch, response: { 200: GroupView, ...errorsOf(...groupRefusals('update_settings')) } } }, async (req) => {
    const actor = actorOf(await authenticate(core, req));
    return showGroup(await g.settings.updateSettings(actor, gid(req.params), req.body), now());
  });

  app.put('/groups/:groupId/mute-all', { schema: { tags, summary: 'Mute everyone but the owner and admins, until a time or for ever', params: GroupIdParam, body: MuteBody, response: { 200: GroupView, ...errorsOf(...groupRefusals('mute_all')) } } }, async (req) => {
    const actor = actorOf(await authenticate(core, req));
    return showGroup(await g.settings.muteAll(actor, gid(req.params), toMuteSpec(req.body)), now());
  });

  app.delete('/groups/:groupId/mute-all', { schema: { tags, summary: 'End the group-wide mute', params: GroupIdParam, response: { 200: GroupView, ...errorsOf(...groupRefusals('mute_all')) } } }, async (req) => {
    const actor = actorOf(await authenticate(core, req));
    return showGroup(await g.settings.unmuteAll(actor, gid(req.params)), now());
  });

  app.put('/groups/:groupId/business', { schema: { tags, summary: 'Bind the group to a business object', params: GroupIdParam, body: Type.Object(Business.properties, { additionalProperties: false }), response: { 200: GroupView, ...errorsOf(...groupRefusals('bind_business'), 'conflict') } } }, async (req) => {
    const actor = actorOf(await authenticate(core, req));
    return showGroup(await g.lifecycle.bindBusiness(actor, gid(req.params), req.body), now());
  });

  app.delete('/groups/:groupId/business', { schema: { tags, summary: 'Remove the group\'s business binding', params: GroupIdParam, response: { 200: GroupView, ...errorsOf(...groupRefusals('bind_business')) } } }, async (req) => {
    const actor = actorOf(await authenticate(core, req));
    return showGroup(await g.lifecycle.bindBusiness(actor, gid(req.params), null), now());
  });

  app.post('/groups/:groupId/transfer', { schema: { tags, summary: 'Give ownership to a member (the old owner becomes a member)', params: GroupIdParam, body: Type.Object({ userId: Id }, { additionalProperties: false }), response: { 200: GroupView, ...errorsOf(...groupRefusals('transfer'), 'cannot_act_on_self', 'transfer_target_not_member') } } }, async (req) => {
    const actor = actorOf(await authenticate(core, req));
    return showGroup(await g.lifecycle.transfer(actor, gid(req.params), req.body.userId), now());
  });

  app.delete('/groups/:groupId', { schema: { tags, summary: 'Dismiss the group (owner): history is kept, nobody can send or join', params: GroupIdParam, response: { 200: GroupView, ...errorsOf(...groupRefusals('dismiss')) } } }, async (req) => {
    const actor = actorOf(await authenticate(core, req));
    return showGroup(await g.lifecycle.dismiss(actor, gid(req.params)), now());
  });

  app.put('/groups/:groupId/suspended', { schema: { tags, summary: 'Suspend or restore a group (app admin)', params: GroupIdParam, body: Type.Object({ suspended: Type.Boolean() }, { additionalProperties: false }), response: { 200: GroupView, ...errorsOf('admin_required', 'group_not_found', 'group_dismissed') } } }, async (req) => {
    const actor = actorOf(await authenticate(core, req));
    return showGroup(await g.lifecycle.setSuspended(actor, gid(req.params), req.body.suspended), now());
  });
}
