// The eight actions of legacy-group-api.md, each one call into core. Where the
// document's rule differs from Parley's default (admins may not exit, only
// admins edit group data) the route asks core for it by an explicit option;
// the dialect itself decides nothing but its wire (empty fields unchanged).

import { Type } from '@sinclair/typebox';
import { fail, type ErrorCode } from '../../core/errors.ts';
import { historyAfterTime } from '../../core/messages/after-time.ts';
import type { Member } from '../../core/groups/model.ts';
import { usersById } from '../profiles.ts';
import { WireId, wireId } from '../wire-ids.ts';
import { ok } from './envelope.ts';
import { legacyGroup, legacyMember } from './present.ts';
import { sessionUser, type LegacyApp } from './plugin.ts';
import { toLegacyRecord } from './records.ts';

const Text = (maxLength: number) => Type.Union([Type.String({ maxLength }), Type.Number()]);
const GroupData = Type.Object({ groupId: WireId });
const SetNameData = Type.Object({ groupId: WireId, showName: Type.Optional(Text(128)), userId: Type.Optional(WireId) });
const KickData = Type.Object({ groupId: WireId, groupUserId: WireId });
const UpdateData = Type.Object({ groupId: WireId, groupName: Type.Optional(Text(128)), type: Type.Optional(Text(8)), introduction: Type.Optional(Text(4096)), notice: Type.Optional(Text(4096)) });
const RecordsData = Type.Object({ groupId: Type.Optional(WireId), chatUserId: Type.Optional(WireId), lastTime: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }), Type.String({ pattern: '^[0-9]{0,16}$' })])) });

/** Easemob's page size for a chat-record export. */
const RECORD_PAGE = 10;

const idOf = (v: unknown, field: string): number => {
  const n = wireId(v);
  if (n === undefined) throw fail('invalid_argument', `${field} must be an id`, { field });
  return n;
};
const str = (v: string | number | undefined): string => (v === undefined ? '' : String(v).trim());

export function legacyRoutes(app: LegacyApp): void {
  const { core } = app;
  const user = (req: Parameters<typeof sessionUser>[0]) => {
    const s = sessionUser(req);
    return { appId: s.appId, userId: s.userId, appAdmin: false };
  };

  // §1: the caller applies to join, as a native client would, and the group's
  // join policy decides in core: open joins at once (the document's "admitted
  // automatically"), approval files an application for the owner and admins,
  // closed refuses. The Struts app had no approval step; Parley does not skip
  // one a group asked for (src/http/legacy/README.md).
  app.post('/group!joinGroup', { schema: { body: GroupData } }, async (req) => {
    const r = await core.groups.applications.apply(user(req), idOf(req.body.groupId, 'groupId'));
    return r.outcome === 'joined' ? ok('申请入群成功', { status: 'joined' }) : ok('入群申请已提交，等待群主或管理员审核', { status: 'pending' });
  });

  // §2: every group of the user, unpaged.
  app.post('/group!groupList', async (req) => {
    const actor = user(req);
    const groups = [];
    let cursor: string | undefined;
    do {
      const page = await core.groups.lifecycle.listOf(actor, { limit: 1000, ...(cursor ? { cursor } : {}) });
      groups.push(...page.items);
      cursor = page.next;
    } while (cursor);
    return ok('获取群列表成功', { groupList: groups.map(legacyGroup) });
  });

  app.post('/group!getGroupDetail', { schema: { body: GroupData } }, async (req) => {
    const actor = user(req);
    const groupId = idOf(req.body.groupId, 'groupId');
    const group = await core.groups.lifecycle.get(actor, groupId);
    const members: Member[] = [];
    let cursor: string | undefined;
    do {
      const page = await core.groups.members.list(actor, groupId, { limit: 1000, ...(cursor ? { cursor } : {}) });
      members.push(...page.items);
      cursor = page.next;
    } while (cursor);
    const users = await usersById(core, actor.appId, members.map((m) => m.userId));
    return ok('获取群详情成功', { groupInfo: legacyGroup(group), userList: members.map((m) => legacyMember(m, users.get(m.userId))) });
  });

  // §4: one's own display name; admins may name another member (`userId`). Empty = not set.
  app.post('/group!userSetGroup', { schema: { body: SetNameData } }, async (req) => {
    const actor = user(req);
    const groupId = idOf(req.body.groupId, 'groupId');
    const target = req.body.userId === undefined ? actor.userId : idOf(req.body.userId, 'userId');
    const name = str(req.body.showName);
    if (name === '') {
      await core.groups.members.get(actor, groupId, target);
      return ok('设置群显示名称成功');
    }
    await core.groups.profiles.update(actor, groupId, target, { displayName: name });
    return ok('设置群显示名称成功');
  });

  // §5: members leave; admins may not (the document's rule: core's adminsMayLeave option), the owner neither.
  app.post('/group!exitGroup', { schema: { body: GroupData } }, async (req) => {
    const actor = user(req);
    const groupId = idOf(req.body.groupId, 'groupId');
    const group = await core.groups.lifecycle.get(actor, groupId);
    await core.groups.members.leave(actor, groupId, { adminsMayLeave: false });
    return ok(`您已成功退出${group.name}群`);
  });

  // §6: owner and admins kick ordinary members (core refuses the owner and admins).
  app.post('/group!deleteUser', { schema: { body: KickData } }, async (req) => {
    const actor = user(req);
    const groupId = idOf(req.body.groupId, 'groupId');
    const targetId = idOf(req.body.groupUserId, 'groupUserId');
    const target = await core.groups.members.get(actor, groupId, targetId);
    const [r] = await core.groups.members.kick(actor, groupId, [targetId]);
    if (r && !r.ok) throw fail((r.reason ?? 'forbidden') as ErrorCode, `member ${targetId} cannot be removed`, { userId: targetId });
    const name = target.displayName || (await usersById(core, actor.appId, [targetId])).get(targetId)?.displayName || String(targetId);
    return ok(`已成功踢出成员${name}`);
  });

  // §7: only the owner and admins (whatever member_modify says); empty fields are unchanged.
  app.post('/group!updateGroup', { schema: { body: UpdateData } }, async (req) => {
    const actor = user(req);
    const groupId = idOf(req.body.groupId, 'groupId');
    const b = req.body;
    const type = str(b.type);
    if (type !== '' && type !== '1' && type !== '2') throw fail('invalid_argument', 'type must be 1 (project) or 2 (shareholder)');
    const patch = {
      ...(str(b.groupName) !== '' ? { name: str(b.groupName) } : {}),
      ...(str(b.introduction) !== '' ? { description: str(b.introduction) } : {}),
      ...(str(b.notice) !== '' ? { notice: str(b.notice) } : {}),
      ...(type !== '' ? { kind: type === '1' ? ('project' as const) : ('shareholder' as const) } : {}),
    };
    // Staff only, whatever member_modify says (the document's rule, as core's explicit option).
    if (Object.keys(patch).length > 0) await core.groups.settings.updateInfo(actor, groupId, patch, { staffOnly: true });
    else await core.groups.settings.assertMayUpdateInfo(actor, groupId, { staffOnly: true });
    return ok('修改群资料成功');
  });

  // §8: one page of records strictly after lastTime, oldest first; exactly one of groupId / chatUserId.
  app.post('/chat!loadChatRecords', { schema: { body: RecordsData } }, async (req) => {
    const actor = user(req);
    const b = req.body;
    if ((b.groupId === undefined) === (b.chatUserId === undefined)) throw fail('invalid_argument', 'send exactly one of groupId and chatUserId');
    const target = b.groupId !== undefined ? { groupId: idOf(b.groupId, 'groupId') } : { userId: idOf(b.chatUserId, 'chatUserId') };
    const lastTime = b.lastTime === undefined || b.lastTime === '' ? 0 : Number(b.lastTime);
    const page = await historyAfterTime(core, actor.appId, actor.userId, target, { afterMs: lastTime, limit: RECORD_PAGE });
    return ok('加载聊天记录成功', { recordList: page.items.map(toLegacyRecord) });
  });
}
