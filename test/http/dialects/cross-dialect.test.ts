// One core behind every dialect: a group created with Lanying, joined
// through xim, renamed through legacy, with messages sent through the native
// API, looks the same in each dialect.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { makeUser } from '../../support/fixtures.ts';
import { client } from '../../support/http.ts';
import { lanying } from '../../support/lanying.ts';
import { legacy } from '../../support/legacy.ts';
import { xim } from '../../support/xim.ts';

let s: TestServer;
before(async () => {
  s = await startTestServer({ manualClock: true });
});
after(() => s.stop());

test('lanying create → xim join → legacy rename → native messages: the same group everywhere', async () => {
  const owner = await makeUser(s);
  const joiner = await makeUser(s);
  const ly = lanying(s.url, { appId: s.appId, token: owner.token });
  const g = (await ly.post('/group/create', { name: 'made in lanying', description: 'about' })).body.data.group_id as number;

  const joined = await xim(s.url, s.adminToken)('JoinOrCreate', { groupId: g, userId: joiner.id });
  assert.equal(joined.body.data.groupId, g);

  const renamed = await legacy(s.url, { uid: owner.id, accessToken: owner.token }).form('group!updateGroup', { groupId: g, groupName: 'renamed in legacy', notice: 'hello all' });
  assert.equal(renamed.body.success, true, renamed.text);

  const t0 = s.clock!.now();
  await client(s.url, owner.token).post(`/v1/groups/${g}/messages`, { type: 'text', body: { text: 'from native' } });
  s.clock!.advance(5);
  await client(s.url, joiner.token).post(`/v1/groups/${g}/messages`, { type: 'text', body: { text: 'reply' } });

  // Lanying
  const info = (await lanying(s.url, { appId: s.appId, token: joiner.token }).get('/group/info', { group_id: g })).body.data;
  assert.deepEqual([info.name, info.count, info.owner_id, info.description], ['renamed in legacy', 2, owner.id, 'about']);
  const members = (await ly.get('/group/member_list', { group_id: g })).body.data.map((m: { user_id: number }) => m.user_id);
  assert.deepEqual(members.sort(), [owner.id, joiner.id].sort());
  assert.deepEqual((await lanying(s.url, { appId: s.appId, token: joiner.token }).get('/group/user_joined')).body.data, [g]);

  // xim
  const xi = (await xim(s.url, s.adminToken)('InfoBatch', { uid: joiner.id, groupId: g })).body.data.info[0];
  assert.deepEqual([xi.name, xi.number, xi.joinStatus, xi.owner, xi.content, xi.broadcast], ['renamed in legacy', 2, 1, owner.id, 'about', 'hello all']);
  const history = (await xim(s.url, s.adminToken)('History', { groupId: g, sort: 1 })).body.data.list.filter((m: { text?: unknown }) => m.text);
  assert.deepEqual(history.map((m: { from: { id: number }; text: { content: string }; group: { name: string } }) => [m.from.id, m.text.content, m.group.name]), [
    [owner.id, 'from native', 'renamed in legacy'],
    [joiner.id, 'reply', 'renamed in legacy'],
  ]);

  // legacy
  const list = (await legacy(s.url, { uid: joiner.id, accessToken: joiner.token }).form('group!groupList')).body.groupList;
  assert.deepEqual(list.map((x: { groupId: string; groupName: string; notice: string }) => [x.groupId, x.groupName, x.notice]), [[String(g), 'renamed in legacy', 'hello all']]);
  const detail = (await legacy(s.url, { uid: joiner.id, accessToken: joiner.token }).form('group!getGroupDetail', { groupId: g })).body;
  assert.deepEqual(detail.userList.map((u: { userId: number; user_type: string }) => [u.userId, u.user_type]).sort(), [[owner.id, '1'], [joiner.id, '3']].sort());
  const records = (await legacy(s.url, { uid: joiner.id, accessToken: joiner.token }).form('chat!loadChatRecords', { groupId: g, lastTime: t0 - 1 })).body.recordList.filter((r: { fromId: string }) => r.fromId !== '');
  assert.deepEqual(records.map((r: { msg: string; fromId: string }) => [r.fromId, r.msg]), [[String(owner.id), 'from native'], [String(joiner.id), 'reply']]);

  // native
  const native = (await client(s.url, joiner.token).get(`/v1/groups/${g}`)).body;
  assert.equal(native.name ?? native.group?.name, 'renamed in legacy');
});
