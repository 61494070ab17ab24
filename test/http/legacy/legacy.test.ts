// The legacy Struts actions through real HTTP: header checks and echo, form
// and JSON `data`, the document's rules, and Easemob-shaped records.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { makeUser } from '../../support/fixtures.ts';
import { client, call } from '../../support/http.ts';
import { legacy } from '../../support/legacy.ts';
import { lanying } from '../../support/lanying.ts';

describe('legacy /chat actions', () => {
  let s: TestServer;
  const session = (u: { id: number; token: string }) => legacy(s.url, { uid: u.id, accessToken: u.token });
  before(async () => {
    s = await startTestServer({ manualClock: true });
  });
  after(() => s.stop());

  async function group() {
    const owner = await makeUser(s);
    const admin = await makeUser(s);
    const member = await makeUser(s);
    const r = await lanying(s.url, { appId: s.appId, token: owner.token }).post('/group/create', { name: '悦尚九鲜项目群', description: 'intro', user_list: [admin.id, member.id] });
    const g = r.body.data.group_id as number;
    await lanying(s.url, { appId: s.appId, token: owner.token }).post('/group/admin/add', { group_id: g, user_list: [admin.id] });
    // Open to joining, as the document's project groups are (joinGroup admits at once).
    await lanying(s.url, { appId: s.appId, token: owner.token }).post('/group/settings/require_admin_approval', { group_id: g, apply_approval: 0 });
    return { owner, admin, member, g };
  }

  test('the four headers are checked and echoed, on success and on failure', async () => {
    const u = await makeUser(s);
    const ok = await legacy(s.url, { uid: u.id, accessToken: u.token, client: 'F9FQXGP8FCM5', expire: 4102444800000 }).form('group!groupList');
    assert.deepEqual([ok.status, ok.body.success, ok.body.info], [200, true, '获取群列表成功']);
    assert.deepEqual(ok.body.groupList, []);
    assert.deepEqual([ok.headers.get('uid'), ok.headers.get('accesstoken'), ok.headers.get('client'), ok.headers.get('expire')], [String(u.id), u.token, 'F9FQXGP8FCM5', '4102444800000']);
    const other = await makeUser(s);
    const wrongUid = await legacy(s.url, { uid: other.id, accessToken: u.token }).form('group!groupList');
    assert.deepEqual([wrongUid.status, wrongUid.body.success, wrongUid.body.code], [200, false, 'unauthenticated']);
    assert.equal(wrongUid.headers.get('uid'), String(other.id));
    const past = await legacy(s.url, { uid: u.id, accessToken: u.token, expire: 1000 }).form('group!groupList');
    assert.equal(past.body.code, 'token_expired');
    const bare = await call(s.url, 'POST', '/chat/group!groupList');
    assert.deepEqual([bare.status, bare.body.success], [200, false]);
    assert.equal((await legacy(s.url, { uid: 'abc', accessToken: u.token }).form('group!groupList')).body.code, 'invalid_argument');
  });

  test('joinGroup admits at once (form data); groupList and getGroupDetail show the documented fields', async () => {
    const { owner, admin, g } = await group();
    const newcomer = await makeUser(s);
    await s.core.users.update(s.appId, newcomer.id, { displayName: '彪彪小王子', avatar: 'upload/images/userPhoto/1.jpg', profile: { sex: '1', age: 28, city: '4103', signature: 'hi' } });
    const joined = await session(newcomer).form('group!joinGroup', { groupId: String(g) });
    assert.deepEqual([joined.body.success, joined.body.info, joined.body.status], [true, '申请入群成功', 'joined']);
    assert.equal((await session(newcomer).form('group!joinGroup', { groupId: String(g) })).body.code, 'already_group_member');
    const list = await session(newcomer).json('group!groupList', {});
    assert.deepEqual(list.body.groupList, [{ groupId: String(g), projectName: '悦尚九鲜项目群', groupName: '悦尚九鲜项目群', type: '1', introduction: 'intro', notice: '', creator_id: String(owner.id) }]);
    const detail = await session(newcomer).json('group!getGroupDetail', { data: { groupId: String(g) } });
    assert.equal(detail.body.success, true, detail.text);
    assert.equal(detail.body.groupInfo.groupId, String(g));
    const users = detail.body.userList as Record<string, unknown>[];
    assert.equal(users.length, 4);
    const keys = ['userId', 'sex', 'age', 'phoneNumber', 'country', 'province', 'city', 'district', 'street', 'company', 'occupation', 'role', 'degrees', 'school', 'nickName', 'userPhoto', 'signature', 'user_type', 'show_name'];
    for (const u of users) assert.deepEqual(Object.keys(u).sort(), [...keys].sort());
    const me = users.find((u) => u.userId === newcomer.id)!;
    assert.deepEqual([me.sex, me.age, me.city, me.nickName, me.userPhoto, me.user_type, me.show_name], ['1', '28', '4103', '彪彪小王子', 'upload/images/userPhoto/1.jpg', '3', '彪彪小王子']);
    assert.deepEqual(users.map((u) => [u.userId, u.user_type]).filter(([id]) => id === owner.id || id === admin.id).sort(), [[owner.id, '1'], [admin.id, '2']].sort());
    assert.equal((await session(await makeUser(s)).form('group!getGroupDetail', { groupId: g })).body.code, 'not_group_member');
  });

  test('joinGroup on a group that requires approval files an application as the caller: not a member until the staff approve', async () => {
    const { owner, g } = await group();
    const ly = lanying(s.url, { appId: s.appId, token: owner.token });
    await ly.post('/group/settings/require_admin_approval', { group_id: g, apply_approval: 1 });
    const applicant = await makeUser(s);
    const r = await session(applicant).form('group!joinGroup', { groupId: g });
    assert.deepEqual([r.body.success, r.body.info, r.body.status], [true, '入群申请已提交，等待群主或管理员审核', 'pending']);
    // Not a member: the native member list and legacy's own detail both say so.
    const native = client(s.url, owner.token);
    const members = await native.get(`/v1/groups/${g}/members`);
    assert.equal(members.status, 200, members.text);
    assert.equal((members.body.items as { userId: number }[]).some((m) => m.userId === applicant.id), false);
    assert.equal((await session(applicant).form('group!getGroupDetail', { groupId: g })).body.code, 'not_group_member');
    // One pending application, from the applicant, for the owner to handle.
    const apps = await native.get(`/v1/groups/${g}/applications`);
    assert.equal(apps.status, 200, apps.text);
    assert.deepEqual(apps.body.items.map((a: { applicantId: number; status: string }) => [a.applicantId, a.status]), [[applicant.id, 'pending']]);
    // Approving it makes the applicant a member.
    assert.equal((await ly.post('/group/apply/handle', { group_id: g, user_id: applicant.id, approval: true })).body.code, 200);
    assert.equal((await session(applicant).form('group!getGroupDetail', { groupId: g })).body.success, true);
  });

  test('joinGroup refuses blocked users and groups closed to joining, and changes nothing', async () => {
    const { owner, g } = await group();
    const ly = lanying(s.url, { appId: s.appId, token: owner.token });
    const blocked = await makeUser(s);
    await ly.post('/group/block', { group_id: g, user_list: [blocked.id] });
    assert.equal((await session(blocked).form('group!joinGroup', { groupId: g })).body.code, 'blocked_from_group');
    await ly.post('/group/settings/require_admin_approval', { group_id: g, apply_approval: 2 });
    const outsider = await makeUser(s);
    assert.equal((await session(outsider).form('group!joinGroup', { groupId: g })).body.code, 'join_refused');
    assert.equal((await session(outsider).form('group!joinGroup', { groupId: '0' })).body.code, 'invalid_argument');
    assert.equal((await session(outsider).form('group!joinGroup', { groupId: 987654321 })).body.code, 'group_not_found');
    assert.equal((await ly.get('/group/info', { group_id: g })).body.data.count, 3);
  });

  test('userSetGroup: own name; admins may name others; empty means unchanged; data as a JSON string field', async () => {
    const { admin, member, g } = await group();
    assert.equal((await session(member).form('group!userSetGroup', { data: JSON.stringify({ groupId: String(g), showName: '彪彪' }) })).body.info, '设置群显示名称成功');
    assert.equal((await session(member).form('group!userSetGroup', { groupId: g, showName: '' })).body.success, true);
    assert.equal((await s.core.groups.members.get({ appId: s.appId, userId: null, appAdmin: true }, g, member.id)).displayName, '彪彪');
    assert.equal((await session(admin).form('group!userSetGroup', { groupId: g, showName: '小彪', userId: member.id })).body.success, true);
    assert.equal((await s.core.groups.members.get({ appId: s.appId, userId: null, appAdmin: true }, g, member.id)).displayName, '小彪');
    assert.equal((await session(member).form('group!userSetGroup', { groupId: g, showName: 'x', userId: admin.id })).body.success, false);
  });

  test('exitGroup: members leave, admins and the owner may not', async () => {
    const { owner, admin, member, g } = await group();
    assert.equal((await session(admin).form('group!exitGroup', { groupId: g })).body.code, 'admin_cannot_leave');
    assert.equal((await session(owner).form('group!exitGroup', { groupId: g })).body.code, 'owner_cannot_leave');
    const left = await session(member).form('group!exitGroup', { groupId: g });
    assert.deepEqual([left.body.success, left.body.info], [true, '您已成功退出悦尚九鲜项目群群']);
  });

  test('deleteUser: owner and admins kick members, never the owner or admins', async () => {
    const { owner, admin, member, g } = await group();
    const m2 = await makeUser(s);
    await session(m2).form('group!joinGroup', { groupId: g });
    assert.equal((await session(member).form('group!deleteUser', { groupId: g, groupUserId: m2.id })).body.success, false);
    assert.equal((await session(admin).form('group!deleteUser', { groupId: g, groupUserId: owner.id })).body.success, false);
    const kicked = await session(admin).form('group!deleteUser', { groupId: g, groupUserId: m2.id });
    assert.equal(kicked.body.success, true);
    assert.match(kicked.body.info, /^已成功踢出成员/);
    assert.equal((await session(owner).form('group!deleteUser', { groupId: g, groupUserId: admin.id })).body.success, true);
    assert.equal((await session(owner).form('group!getGroupDetail', { groupId: g })).body.userList.length, 2);
    void member;
  });

  test('updateGroup: only admins; empty fields unchanged; type 1/2', async () => {
    const { owner, admin, member, g } = await group();
    await lanying(s.url, { appId: s.appId, token: owner.token }).post('/group/settings/allow_member_modify', { group_id: g, value: true });
    assert.equal((await session(member).form('group!updateGroup', { groupId: g, groupName: 'x' })).body.code, 'group_admin_required');
    assert.equal((await session(member).form('group!updateGroup', { groupId: g })).body.code, 'group_admin_required', 'an empty edit is still staff only');
    const r = await session(admin).form('group!updateGroup', { groupId: g, groupName: '', type: '2', introduction: '新介绍', notice: '公告' });
    assert.deepEqual([r.body.success, r.body.info], [true, '修改群资料成功']);
    const info = (await session(member).form('group!getGroupDetail', { groupId: g })).body.groupInfo;
    assert.deepEqual([info.groupName, info.type, info.introduction, info.notice], ['悦尚九鲜项目群', '2', '新介绍', '公告']);
    assert.equal((await session(admin).form('group!updateGroup', { groupId: g, type: '7' })).body.code, 'invalid_argument');
  });

  test('loadChatRecords: group or private, strictly after lastTime, Easemob record shape', async () => {
    const { owner, member, g } = await group();
    const native = client(s.url, owner.token);
    const t0 = s.clock!.now();
    await native.post(`/v1/groups/${g}/messages`, { type: 'text', body: { text: 'hhhhhh' } });
    s.clock!.advance(10);
    await native.post(`/v1/groups/${g}/messages`, { type: 'image', body: { url: 'https://f/22.png', name: '22.png', secret: 'sek' } });
    s.clock!.advance(10);
    await native.post(`/v1/groups/${g}/messages`, { type: 'location', body: { lat: 39.983805, lng: 116.307417, address: '北京市海淀区北四环西路66号' } });
    s.clock!.advance(10);
    await native.post(`/v1/groups/${g}/messages`, { type: 'audio', body: { url: 'https://f/a.amr', duration: 3 } });
    const all = await session(member).form('chat!loadChatRecords', { groupId: g, lastTime: String(t0 - 1) });
    assert.equal(all.body.success, true, all.text);
    // Group notices (group created, members joined) are records too, sent by the system (fromId "").
    const [txt, img, loc, audio] = all.body.recordList.filter((r: { fromId: string }) => r.fromId !== '');
    assert.ok(all.body.recordList.filter((r: { fromId: string }) => r.fromId === '').every((r: { type: string }) => r.type === 'txt'));
    assert.deepEqual([txt.type, txt.msg, txt.chat_type, txt.fromId, txt.toId, typeof txt.msg_id, txt.timestamp], ['txt', 'hhhhhh', 'groupchat', String(owner.id), String(g), 'string', t0]);
    assert.deepEqual([img.type, img.url, img.filename, img.secret], ['img', 'https://f/22.png', '22.png', 'sek']);
    assert.deepEqual([loc.type, loc.lat, loc.lng, loc.addr], ['loc', 39.983805, 116.307417, '北京市海淀区北四环西路66号']);
    assert.deepEqual([audio.type, audio.length, audio.filename], ['audio', 3, 'a.amr']);
    const after = await session(member).form('chat!loadChatRecords', { groupId: g, lastTime: t0 + 10 });
    assert.deepEqual(after.body.recordList.filter((r: { fromId: string }) => r.fromId !== '').map((r: { type: string }) => r.type), ['loc', 'audio']);

    await client(s.url, member.token).post(`/v1/users/${owner.id}/messages`, { type: 'text', body: { text: 'private' } });
    const priv = await session(owner).json('chat!loadChatRecords', { chatUserId: String(member.id) });
    assert.deepEqual(priv.body.recordList.map((r: { chat_type: string; msg: string; toId: string }) => [r.chat_type, r.msg, r.toId]), [['chat', 'private', String(owner.id)]]);
    assert.equal((await session(owner).form('chat!loadChatRecords', { groupId: g, chatUserId: member.id })).body.code, 'invalid_argument');
    assert.equal((await session(owner).form('chat!loadChatRecords', {})).body.code, 'invalid_argument');
    assert.equal((await session(await makeUser(s)).form('chat!loadChatRecords', { groupId: g })).body.code, 'not_group_member');
  });
});
