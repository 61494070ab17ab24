// The five methods of med.xim.Group (xim-group-api.md), each one call into
// core's groups or messages. All act with the app admin credential; `userId`
// names the user a call is about.

import { Type } from '@sinclair/typebox';
import { actAsUser, actorOf as principalActor } from '../../core/auth/principals.ts';
import type { Core } from '../../core/core.ts';
import { fail } from '../../core/errors.ts';
import type { Group } from '../../core/groups/model.ts';
import { usersById } from '../profiles.ts';
import { bool, int, intList, QBool, QInt, QIntList, QString } from './binding.ts';
import { ok } from './envelope.ts';
import { userIdsOf, toXimMessage } from './messages.ts';
import { admin, type XimApp } from './plugin.ts';
import { ximGroupInfo, ximGroupRef } from './present.ts';

type AdminActor = { appId: number; userId: null; appAdmin: true };

const CreateOrRelateQuery = Type.Object({ userId: Type.Optional(QIntList), groupName: Type.Optional(QString(128)), groupId: Type.Optional(QInt), businessType: Type.Optional(QInt), businessId: Type.Optional(QInt), avatar: Type.Optional(QString(2048)) });
const InfoBatchQuery = Type.Object({ uid: Type.Optional(QInt), groupId: Type.Optional(QIntList) });
const JoinOrCreateQuery = Type.Object({ groupId: Type.Optional(QInt), userId: Type.Optional(QInt), groupName: Type.Optional(QString(128)), businessType: Type.Optional(QInt), businessId: Type.Optional(QInt), avatar: Type.Optional(QString(2048)) });
const HistoryQuery = Type.Object({ groupId: Type.Optional(QInt), start: Type.Optional(QInt), limit: Type.Optional(QInt), sort: Type.Optional(QBool), minId: Type.Optional(QInt) });
const QuitQuery = Type.Object({ groupId: Type.Optional(QInt), userId: Type.Optional(QInt), businessType: Type.Optional(QInt), businessId: Type.Optional(QInt) });

const AVATARS = 9;
const DEFAULT_HISTORY = 20;

/** The business binding of a request; none when both parts are 0 (proto zero values). */
function businessKey(type: number, id: number): { businessType: string; businessId: string } | undefined {
  if (type === 0 && id === 0) return undefined;
  return { businessType: String(type), businessId: String(id) };
}

export function ximRoutes(app: XimApp): void {
  const { core } = app;
  const actorOf = (appId: number): AdminActor => ({ appId, userId: null, appAdmin: true });

  /** The group a call names: by id, else by its business binding. */
  const locate = async (actor: AdminActor, groupId: number, key: ReturnType<typeof businessKey>): Promise<Group | undefined> => {
    if (groupId > 0) return core.groups.lifecycle.get(actor, groupId);
    if (key) {
      try {
        return await core.groups.lifecycle.findByBusiness(actor, key);
      } catch (e) {
        if ((e as { code?: string }).code === 'group_not_found') return undefined;
        throw e;
      }
    }
    throw fail('invalid_argument', 'groupId or businessType and businessId are required');
  };

  app.get('/CreateOrRelate', { schema: { querystring: CreateOrRelateQuery } }, async (req) => {
    const actor = actorOf(admin(req).appId);
    const q = req.query;
    const groupId = int(q.groupId, 'groupId');
    const key = businessKey(int(q.businessType, 'businessType'), int(q.businessId, 'businessId'));
    if (groupId > 0) {
      // Relate: bind the existing group to the business object (idempotent).
      const g = key ? await core.groups.lifecycle.bindBusiness(actor, groupId, key) : await core.groups.lifecycle.get(actor, groupId);
      return ok({ groupId: g.id });
    }
    const userIds = intList(q.userId, 'userId').filter((id) => id > 0);
    if (userIds.length === 0) throw fail('invalid_argument', 'userId is required to create a group (the first is its owner)');
    const [ownerId, ...memberIds] = [...new Set(userIds)];
    const input = { ...(q.groupName ? { name: q.groupName } : {}), ...(q.avatar ? { avatar: q.avatar } : {}), ownerId, memberIds };
    const { group } = key ? await core.groups.lifecycle.findOrCreateByBusiness(actor, key, input) : await core.groups.lifecycle.create(actor, input);
    return ok({ groupId: group.id });
  });

  app.get('/JoinOrCreate', { schema: { querystring: JoinOrCreateQuery } }, async (req) => {
    const actor = actorOf(admin(req).appId);
    const q = req.query;
    const userId = int(q.userId, 'userId');
    if (userId === 0) throw fail('invalid_argument', 'userId is required');
    const key = businessKey(int(q.businessType, 'businessType'), int(q.businessId, 'businessId'));
    const groupId = int(q.groupId, 'groupId');
    if (groupId === 0 && !key) throw fail('invalid_argument', 'groupId or businessType and businessId are required');
    const input = { ...(q.groupName ? { name: q.groupName } : {}), ...(q.avatar ? { avatar: q.avatar } : {}) };
    // One core call, one transaction: find (by id or binding) or create, then join; a member already in is a success.
    const { group } = await core.groups.lifecycle.joinOrCreate(actor, groupId > 0 ? { groupId } : { business: key as NonNullable<typeof key> }, userId, input);
    return ok({ groupId: group.id });
  });

  app.get('/Quit', { schema: { querystring: QuitQuery } }, async (req) => {
    const caller = admin(req);
    const { appId } = caller;
    const q = req.query;
    const userId = int(q.userId, 'userId');
    if (userId === 0) throw fail('invalid_argument', 'userId is required');
    const group = await locate(actorOf(appId), int(q.groupId, 'groupId'), businessKey(int(q.businessType, 'businessType'), int(q.businessId, 'businessId')));
    if (!group) throw fail('group_not_found', 'no group is bound to this business object');
    // The user leaves (the owner cannot: transfer first), as if they had asked.
    await core.groups.members.leave(principalActor(await actAsUser(caller, userId, (a, u) => core.users.get(a, u))), group.id);
    return ok({});
  });

  app.get('/InfoBatch', { schema: { querystring: InfoBatchQuery } }, async (req) => {
    const actor = actorOf(admin(req).appId);
    const uid = int(req.query.uid, 'uid');
    const list = await core.groups.lifecycle.batchInfo(actor, intList(req.query.groupId, 'groupId').filter((id) => id > 0), uid > 0 ? uid : undefined);
    const now = core.clock.now();
    const info = [];
    for (const { group, joined } of list) {
      const full = { ...group, ext: '', cryptoKey: '' };
      info.push(ximGroupInfo(full, { now, joined: uid > 0 && joined, avatars: await avatarsOf(core, actor, group.id), owner: (await usersById(core, actor.appId, [group.ownerId])).get(group.ownerId) }));
    }
    return ok({ info });
  });

  app.get('/History', { schema: { querystring: HistoryQuery } }, async (req) => {
    const actor = actorOf(admin(req).appId);
    const q = req.query;
    const groupId = int(q.groupId, 'groupId');
    if (groupId === 0) throw fail('invalid_argument', 'groupId is required');
    const group = await core.groups.lifecycle.get(actor, groupId);
    const start = int(q.start, 'start');
    const minId = int(q.minId, 'minId');
    const limitAsked = int(q.limit, 'limit');
    const limit = limitAsked === 0 ? DEFAULT_HISTORY : limitAsked;
    const ascending = q.sort !== undefined && bool(q.sort);
    // start is a message id cursor (0: from the newest, or the oldest when ascending);
    // minId excludes every id at or below it.
    const page = ascending
      ? await core.messages.history(actor.appId, null, { groupId }, { order: 'asc', limit, ...(Math.max(start, minId) > 0 ? { after: { id: Math.max(start, minId) } } : {}) })
      : await core.messages.history(actor.appId, null, { groupId }, { order: 'desc', limit, ...(start > 0 ? { before: { id: start } } : {}) });
    const items = page.items.filter((m) => m.id > minId);
    const more = page.more && items.length === page.items.length;
    const users = await usersById(core, actor.appId, userIdsOf(items));
    const ref = ximGroupRef(group, await avatarsOf(core, actor, group.id), core.clock.now());
    const last = items[items.length - 1];
    return ok({ next: last ? last.id : start, more, list: items.map((m) => toXimMessage(m, ref, users)) });
  });
}

/** Avatars of the first members (xim's composite group avatar). */
async function avatarsOf(core: Core, actor: AdminActor, groupId: number): Promise<string[]> {
  const page = await core.groups.members.list(actor, groupId, { limit: AVATARS });
  const users = await usersById(core, actor.appId, page.items.map((m) => m.userId));
  return page.items.map((m) => users.get(m.userId)?.avatar ?? '');
}
