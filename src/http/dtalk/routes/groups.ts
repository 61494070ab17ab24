// §12–§32: groups under /group/app/ on core groups (the original's source
// "Groups"). Members are named by address (users created on first sight);
// group ids are core's, `idStr` winning over `id`. Per-route error
// refinements follow the codes the original answers for each route.

import type { Core } from '../../../core/core.ts';
import { fail, isParleyError } from '../../../core/errors.ts';
import type { Actor, Group, Member, MemberResult } from '../../../core/groups/model.ts';
import type { DtalkCaller } from '../auth.ts';
import { badRequest, type Fields } from '../bind.ts';
import { DtalkCode, DtalkFailure } from '../errors.ts';
import type { DtalkNames } from '../names.ts';
import { withBody, type DtalkRequest, type DtalkRoute } from '../route.ts';
import { byRank, DTALK_FOREVER, groupIdOf, groupView, JOIN_TYPES, memberView, type GroupMemberView } from './group-view.ts';

const GroupRef = { id: { kind: 'int', optional: true }, idStr: { kind: 'string', optional: true } } as const satisfies Fields;
const MAX_MUTE_MS = 86_400_000;
const MAX_MEMBER_ID = 40;

const actorOf = (c: DtalkCaller): Actor => ({ appId: c.appId, userId: c.userId, appAdmin: false });

/** Every page of a paged core listing. */
async function all<T>(page: (cursor: string | undefined) => Promise<{ items: T[]; next?: string }>): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 1000; i++) {
    const p = await page(cursor);
    out.push(...p.items);
    if (!p.next) break;
    cursor = p.next;
  }
  return out;
}

/** Member ids as the original checks them: trimmed, non-empty, at most 40 characters. */
function cleanIds(ids: string[], field: string): string[] {
  return [...new Set(ids.map((id) => id.trim()))].map((id) => {
    if (id === '' || id.length > MAX_MEMBER_ID) throw badRequest(`${field} must be non-empty addresses of at most ${MAX_MEMBER_ID} characters`);
    return id;
  });
}

/** A batch answer's first failure as the request's error (the original refuses a batch as a whole). */
function firstFailure(results: MemberResult[], ignore: readonly string[] = []): void {
  const bad = results.find((r) => !r.ok && !ignore.includes(r.reason ?? ''));
  if (bad) throw fail((bad.reason ?? 'conflict') as Parameters<typeof fail>[0], `user ${bad.userId}: ${bad.reason}`);
}

export function groupRoutes(core: Core, names: DtalkNames): DtalkRoute[] {
  const groups = core.groups;
  const view = async (appId: number, m: Member | undefined): Promise<GroupMemberView | null> => (m ? memberView(m, await names.addressOf(appId, m.userId), core.clock.now()) : null);

  async function members(actor: Actor, groupId: number): Promise<Member[]> {
    return (await all((cursor) => groups.members.list(actor, groupId, { ...(cursor ? { cursor } : {}), limit: 1000 }))).sort(byRank);
  }

  /** GroupInfo with owner, person and counts; the key only for members. */
  async function info(req: DtalkRequest, groupId: number, withMembers: number | null) {
    const actor = actorOf(req.caller);
    const { appId, userId } = req.caller;
    const now = core.clock.now();
    let g: Omit<Group, 'cryptoKey' | 'ext'> & { cryptoKey?: string };
    let list: Member[] = [];
    let member = false;
    try {
      g = await groups.lifecycle.get(actor, groupId);
      member = true;
      list = await members(actor, groupId);
    } catch (e) {
      // A failure that is not a refusal (a database error) is not "not a member": it goes to the error handler.
      if (!isParleyError(e)) throw e;
      // Not a member: what anyone may see (the original leaks the key here; Parley does not).
      const pub = await groups.lifecycle.publicInfo(actor, groupId);
      if (pub.joined) throw e;
      g = pub.group;
    }
    const owner = member ? list.find((m) => m.role === 'owner') : undefined;
    const me = list.find((m) => m.userId === userId);
    const counts = { adminNum: list.filter((m) => m.role === 'admin').length, muteNum: list.filter((m) => m.mutedUntil !== null && m.mutedUntil > now).length };
    const ownerView = owner ? await view(appId, owner) : { memberId: await names.addressOf(appId, g.ownerId), memberName: '', memberType: 2, memberMuteTime: 0 };
    const out: Record<string, unknown> = groupView(member ? g : { ...g, cryptoKey: '' }, now, counts, ownerView, await view(appId, me));
    if (withMembers !== null) out.members = await Promise.all(list.slice(0, withMembers).map((m) => view(appId, m)));
    return out;
  }

  return [
    {
      path: '/group/app/create-group',
      ...withBody({ name: { kind: 'string' }, avatar: { kind: 'string' }, introduce: { kind: 'string' }, memberIds: { kind: 'strings' } }, async (req, b) => {
        const ids = cleanIds(b.memberIds, 'memberIds').filter((a) => a !== req.caller.address);
        const memberIds = await Promise.all(ids.map((a) => names.idOf(req.caller.appId, a)));
        // Only `name` is used, as in the original (avatar and introduce are set by their own routes).
        // All or nothing, as in the original: more members than the capacity is group_full (-10003), and no group.
        const { group } = await groups.lifecycle.create(actorOf(req.caller), { name: b.name, publicName: b.name, memberIds, allOrNothing: true });
        return info(req, group.id, Number.MAX_SAFE_INTEGER);
      }),
    },
    { path: '/group/app/group-info', ...withBody(GroupRef, (req, b) => info(req, groupIdOf(b), 10)) },
    { path: '/group/app/group-pub-info', ...withBody(GroupRef, (req, b) => info(req, groupIdOf(b), null)) },
    {
      path: '/group/app/group-list',
      ...withBody({}, async (req) => {
        const list = await all((cursor) => groups.lifecycle.listOf(actorOf(req.caller), { ...(cursor ? { cursor } : {}), limit: 200 }));
        return { groups: await Promise.all(list.map((g) => info(req, g.id, null))) };
      }),
    },
    {
      path: '/group/app/group-member-list',
      ...withBody(GroupRef, async (req, b) => {
        const id = groupIdOf(b);
        const list = await members(actorOf(req.caller), id);
        return { id, idStr: String(id), members: await Promise.all(list.map((m) => view(req.caller.appId, m))) };
      }),
    },
    {
      path: '/group/app/group-member-info',
      errors: { not_group_member: DtalkCode.memberNotFound },
      ...withBody({ ...GroupRef, memberId: { kind: 'string' } }, async (req, b) => {
        // The original ignores memberId and answers the caller's own record; Parley answers the member asked for.
        const userId = b.memberId === '' ? req.caller.userId : await names.idOf(req.caller.appId, b.memberId);
        return view(req.caller.appId, await groups.members.get(actorOf(req.caller), groupIdOf(b), userId));
      }),
    },
    {
      path: '/group/app/mute-list',
      ...withBody(GroupRef, async (req, b) => {
        const id = groupIdOf(b);
        const list = await all((cursor) => groups.moderation.listMuted(actorOf(req.caller), id, { ...(cursor ? { cursor } : {}), limit: 1000 }));
        return { members: await Promise.all(list.map((m) => view(req.caller.appId, m))) };
      }),
    },
    {
      path: '/group/app/group-disband',
      errors: { group_owner_required: DtalkCode.permissionDenied, group_admin_required: DtalkCode.permissionDenied },
      ...withBody(GroupRef, async (req, b) => {
        await groups.lifecycle.dismiss(actorOf(req.caller), groupIdOf(b));
        return {};
      }),
    },
    {
      path: '/group/app/group-exit',
      ...withBody(GroupRef, async (req, b) => {
        await groups.members.leave(actorOf(req.caller), groupIdOf(b));
        return {};
      }),
    },
    {
      path: '/group/app/group-remove',
      errors: { group_admin_required: DtalkCode.permissionDenied },
      ...withBody({ ...GroupRef, memberIds: { kind: 'strings' } }, async (req, b) => {
        const id = groupIdOf(b);
        const ids = await Promise.all(cleanIds(b.memberIds, 'memberIds').map((a) => names.idOf(req.caller.appId, a)));
        // Non-members and those the caller may not remove are skipped silently, as in the original.
        const results = await groups.members.kick(actorOf(req.caller), id, ids);
        const removed = results.filter((r) => r.ok).map((r) => r.userId);
        const g = await groups.lifecycle.get(actorOf(req.caller), id);
        return { memberNum: g.memberCount, memberIds: await Promise.all(removed.map((u) => names.addressOf(req.caller.appId, u))) };
      }),
    },
    {
      path: '/group/app/invite-group-members',
      errors: { group_admin_required: DtalkCode.invitePermission },
      ...withBody({ ...GroupRef, newMemberIds: { kind: 'strings' } }, async (req, b) => {
        const id = groupIdOf(b);
        const actor = actorOf(req.caller);
        const ids = await Promise.all(cleanIds(b.newMemberIds, 'newMemberIds').map((a) => names.idOf(req.caller.appId, a)));
        // Core decides: joinType (invite_not_allowed -10005, invite_needs_approval -2000) and capacity
        // (group_full -10003), the batch as a whole; members already in are skipped.
        if (ids.length > 0) await groups.members.add(actor, id, ids, { allOrNothing: true });
        const after = await groups.lifecycle.get(actor, id);
        return { id, idStr: String(id), memberNum: after.memberCount };
      }),
    },
    {
      path: '/group/app/join-group',
      errors: { not_group_member: DtalkCode.inviterNotMember, already_group_member: DtalkCode.youAreMember },
      ...withBody({ id: { kind: 'int' }, idStr: { kind: 'string' }, inviterId: { kind: 'string' } }, async (req, b) => {
        const id = groupIdOf(b);
        const actor = actorOf(req.caller);
        const inviter = await names.idOf(req.caller.appId, b.inviterId);
        await groups.members.joinVia(actor, id, inviter);
        return { id, idStr: String(id) };
      }),
    },
    {
      path: '/group/app/change-owner',
      errors: { group_owner_required: DtalkCode.permissionDenied, group_admin_required: DtalkCode.permissionDenied, not_group_member: DtalkCode.inviterNotMember, transfer_target_not_member: DtalkCode.inviterNotMember },
      ...withBody({ ...GroupRef, memberId: { kind: 'string' } }, async (req, b) => {
        const target = await names.idOf(req.caller.appId, b.memberId);
        await groups.lifecycle.transfer(actorOf(req.caller), groupIdOf(b), target);
        return {};
      }),
    },
    {
      path: '/group/app/member/type',
      errors: { group_owner_required: DtalkCode.onlyOwnerSetsAdmins, group_admin_required: DtalkCode.onlyOwnerSetsAdmins, not_group_member: DtalkCode.memberNotFound },
      ...withBody({ ...GroupRef, memberId: { kind: 'string' }, memberType: { kind: 'int', options: [0, 1] } }, async (req, b) => {
        const target = await names.idOf(req.caller.appId, b.memberId);
        const set = Number(b.memberType) === 1 ? groups.roles.addAdmins : groups.roles.removeAdmins;
        firstFailure(await set.call(groups.roles, actorOf(req.caller), groupIdOf(b), [target]));
        return {};
      }),
    },
    {
      path: '/group/app/avatar',
      ...withBody({ ...GroupRef, avatar: { kind: 'string' } }, async (req, b) => {
        await groups.settings.updateInfo(actorOf(req.caller), groupIdOf(b), { avatar: b.avatar });
        return {};
      }),
    },
    {
      path: '/group/app/name',
      ...withBody({ ...GroupRef, name: { kind: 'string' }, publicName: { kind: 'string' } }, async (req, b) => {
        // An empty name or publicName keeps the old value.
        const patch = { ...(b.name !== '' ? { name: b.name } : {}), ...(b.publicName !== '' ? { publicName: b.publicName } : {}) };
        const id = groupIdOf(b);
        if (Object.keys(patch).length === 0) {
          await groups.lifecycle.get(actorOf(req.caller), id);
          return {};
        }
        await groups.settings.updateInfo(actorOf(req.caller), id, patch);
        return {};
      }),
    },
    {
      path: '/group/app/joinType',
      ...withBody({ ...GroupRef, joinType: { kind: 'int', options: [0, 1, 2] } }, async (req, b) => {
        await groups.settings.updateSettings(actorOf(req.caller), groupIdOf(b), { invitePolicy: JOIN_TYPES[Number(b.joinType)] });
        return {};
      }),
    },
    {
      path: '/group/app/friendType',
      ...withBody({ ...GroupRef, friendType: { kind: 'int', options: [0, 1] } }, async (req, b) => {
        await groups.settings.updateSettings(actorOf(req.caller), groupIdOf(b), { allowFriending: Number(b.friendType) === 0 });
        return {};
      }),
    },
    {
      path: '/group/app/muteType',
      ...withBody({ ...GroupRef, muteType: { kind: 'int', options: [0, 1] } }, async (req, b) => {
        const actor = actorOf(req.caller);
        if (Number(b.muteType) === 1) await groups.settings.muteAll(actor, groupIdOf(b), { forever: true });
        else await groups.settings.unmuteAll(actor, groupIdOf(b));
        return {};
      }),
    },
    {
      path: '/group/app/member/muteTime',
      ...withBody({ ...GroupRef, memberIds: { kind: 'strings' }, muteTime: { kind: 'int' } }, async (req, b) => {
        const forever = BigInt(b.muteTime) === DTALK_FOREVER;
        const ms = Number(b.muteTime);
        // muteTime is a duration in ms: 0 unmutes, up to 24 h (core's bound, asked for below), or the int64 maximum for ever.
        if (!forever && ms < 0) throw badRequest(`muteTime must be 0..${MAX_MUTE_MS} or ${DTALK_FOREVER}`);
        const id = groupIdOf(b);
        const actor = actorOf(req.caller);
        const ids = await Promise.all(cleanIds(b.memberIds, 'memberIds').map((a) => names.idOf(req.caller.appId, a)));
        // Owners, admins and non-members in the list are skipped silently, as in the original.
        const results = ms === 0 && !forever ? await groups.moderation.unmute(actor, id, ids) : await groups.moderation.mute(actor, id, ids, forever ? { forever: true } : { forMs: ms }, { maxMs: MAX_MUTE_MS });
        const done = new Set(results.filter((r) => r.ok).map((r) => r.userId));
        const list = (await members(actor, id)).filter((m) => done.has(m.userId));
        return { members: await Promise.all(list.map((m) => view(req.caller.appId, m))) };
      }),
    },
    {
      path: '/group/app/member/name',
      ...withBody({ ...GroupRef, memberName: { kind: 'string' } }, async (req, b) => {
        await groups.profiles.update(actorOf(req.caller), groupIdOf(b), req.caller.userId, { displayName: b.memberName });
        return {};
      }),
    },
  ];
}
