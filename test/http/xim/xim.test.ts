// med.xim.Group through real HTTP: auth, query binding, business binding,
// InfoBatch fields, History envelopes and paging.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { makeUser } from '../../support/fixtures.ts';
import { client } from '../../support/http.ts';
import { xim } from '../../support/xim.ts';

const OK = { code: 0, errcode: 0, message: 'ok', errmsg: 'ok' };

describe('xim med.xim.Group', () => {
  let s: TestServer;
  let call: ReturnType<typeof xim>;
  before(async () => {
    s = await startTestServer({ manualClock: true });
    call = xim(s.url, s.adminToken);
  });
  after(() => s.stop());

  test('the app admin token is required: none 101, a user token 103; envelope on every answer', async () => {
    const none = await xim(s.url)('InfoBatch', { groupId: 1 });
    assert.deepEqual([none.status, none.body.code, none.body.errcode, typeof none.body.errmsg, none.body.data], [200, 101, 101, 'string', null]);
    const u = await makeUser(s);
    assert.equal((await xim(s.url, u.token)('InfoBatch', { groupId: 1 })).body.code, 103);
    assert.equal((await xim(s.url, 'pa_forged')('InfoBatch')).body.code, 101);
    const unknown = await call('Nope');
    assert.equal(unknown.status, 404);
  });

  test('CreateOrRelate: creates bound to the business key, idempotent; relates an existing group', async () => {
    const [a, b, c] = await Promise.all([makeUser(s), makeUser(s), makeUser(s)]);
    const r = await call('CreateOrRelate', { userId: `${a.id},${b.id}`, groupName: '问诊群', businessType: 3, businessId: 1001, avatar: 'http://x/a.png' });
    assert.deepEqual({ ...r.body, data: undefined }, { ...OK, data: undefined });
    const groupId = r.body.data.groupId;
    assert.equal(typeof groupId, 'number');
    assert.equal((await call('CreateOrRelate', { userId: [String(c.id)], businessType: 3, businessId: 1001 })).body.data.groupId, groupId);
    const g = await s.core.groups.lifecycle.get({ appId: s.appId, userId: null, appAdmin: true }, groupId);
    assert.deepEqual([g.ownerId, g.memberCount, g.name, g.businessType, g.businessId], [a.id, 2, '问诊群', '3', '1001']);

    const other = await call('CreateOrRelate', { userId: [a.id], groupName: 'plain' });
    const related = await call('CreateOrRelate', { groupId: other.body.data.groupId, businessType: 4, businessId: 7 });
    assert.equal(related.body.data.groupId, other.body.data.groupId);
    assert.equal((await call('JoinOrCreate', { businessType: 4, businessId: 7, userId: b.id })).body.data.groupId, other.body.data.groupId);
    assert.equal((await call('CreateOrRelate', { groupId: other.body.data.groupId, businessType: 3, businessId: 1001 })).body.code, 3);
    assert.equal((await call('CreateOrRelate', { groupName: 'no owner' })).body.code, 1001);
    assert.equal((await call('CreateOrRelate', { groupId: 12345, businessType: 1, businessId: 1 })).body.code, 2003);
  });

  test('JoinOrCreate: creates by binding when absent, joins, idempotent; Quit by id or by binding', async () => {
    const [a, b] = await Promise.all([makeUser(s), makeUser(s)]);
    const made = await call('JoinOrCreate', { userId: a.id, businessType: 9, businessId: 42, groupName: 'course' });
    const groupId = made.body.data.groupId;
    assert.equal((await call('JoinOrCreate', { groupId, userId: b.id })).body.data.groupId, groupId);
    assert.equal((await call('JoinOrCreate', { groupId, userId: b.id })).body.code, 0);
    const info = await call('InfoBatch', { uid: b.id, groupId });
    assert.deepEqual([info.body.data.info[0].number, info.body.data.info[0].joinStatus, info.body.data.info[0].owner], [2, 1, a.id]);
    assert.deepEqual((await call('Quit', { businessType: 9, businessId: 42, userId: b.id })).body, { ...OK, data: {} });
    assert.equal((await call('InfoBatch', { uid: b.id, groupId })).body.data.info[0].joinStatus, 0);
    assert.equal((await call('Quit', { groupId, userId: a.id })).body.code, 3);
    assert.equal((await call('Quit', { groupId, userId: b.id })).body.code, 103);
    assert.equal((await call('JoinOrCreate', { userId: a.id })).body.code, 1001);
  });

  test('JoinOrCreate is one transaction: 20 parallel calls for the same new binding make one group holding all 20', async () => {
    const users = await Promise.all(Array.from({ length: 20 }, () => makeUser(s)));
    const replies = await Promise.all(users.map((u) => call('JoinOrCreate', { userId: u.id, businessType: 77, businessId: 4242, groupName: 'race' })));
    for (const r of replies) assert.deepEqual([r.body.code, r.body.errmsg], [0, 'ok'], r.text);
    const ids = new Set(replies.map((r) => r.body.data.groupId as number));
    assert.equal(ids.size, 1, `one group, got ${[...ids].join(', ')}`);
    const [groupId] = ids;
    const admin = { appId: s.appId, userId: null, appAdmin: true };
    assert.equal((await s.core.groups.lifecycle.findByBusiness(admin, { businessType: '77', businessId: '4242' })).id, groupId);
    const members = await s.core.groups.members.list(admin, groupId, { limit: 100 });
    assert.deepEqual(members.items.map((m) => m.userId).sort(), users.map((u) => u.id).sort());
    assert.equal(members.total, 20);
    assert.equal(members.items.filter((m) => m.role === 'owner').length, 1);
  });

  test('InfoBatch fills every documented field, with repeated keys and comma lists', async () => {
    const owner = await makeUser(s);
    await s.core.users.update(s.appId, owner.id, { displayName: 'Dr. Li', avatar: 'http://x/li.png', profile: { sex: 1, hospital: '协和', hospitalId: 7, titleName: '主任', isSurgeon: 1 } });
    const m = await makeUser(s);
    const g1 = (await call('CreateOrRelate', { userId: [owner.id, m.id], groupName: 'one', businessType: 5, businessId: 6 })).body.data.groupId;
    const g2 = (await call('CreateOrRelate', { userId: [owner.id], groupName: 'two' })).body.data.groupId;
    const r = await call('InfoBatch', { uid: m.id, groupId: [`${g1},${g2}`, '999'] });
    assert.equal(r.body.code, 0);
    const [one, two] = r.body.data.info;
    const fields = { id: 'number', name: 'string', owner: 'number', businessType: 'number', businessId: 'number', isPublic: 'number', isForbidden: 'number', insertTime: 'number', avatarList: 'object', content: 'string', number: 'number', broadcast: 'string', qrCodeUrl: 'string', shareH5Url: 'string', joinStatus: 'number', isNewOrigin: 'boolean', ownerUser: 'object' };
    for (const [k, t] of Object.entries(fields)) assert.equal(typeof one[k], t, k);
    assert.deepEqual([one.id, one.businessType, one.businessId, one.number, one.joinStatus, two.joinStatus], [g1, 5, 6, 2, 1, 0]);
    assert.deepEqual(one.avatarList, ['http://x/li.png', '']);
    assert.deepEqual(one.ownerUser, { userId: owner.id, name: 'Dr. Li', sex: 1, avatar: 'http://x/li.png', type: 0, hospital: '协和', hospitalId: 7, sectionId: 0, sectionName: '', titleId: 0, titleName: '主任', isSurgeon: 1, userPlatform: '', jumpUrl: '' });
    assert.equal((await call('InfoBatch', { groupId: 'x,1' })).body.code, 1001);
  });

  test('group events recorded as notices come out as groupOperation payloads', async () => {
    const [owner, b] = await Promise.all([makeUser(s), makeUser(s)]);
    const groupId = (await call('CreateOrRelate', { userId: [owner.id], groupName: 'ops' })).body.data.groupId;
    await call('JoinOrCreate', { groupId, userId: b.id });
    // Group notices are written just after the change commits: read until the join's has landed.
    let list: { groupOperation?: { operation: number; group: number; members: { id: number }[] } }[] = [];
    for (let i = 0; i < 200 && !list.some((m) => m.groupOperation?.operation === 2); i++) {
      list = (await call('History', { groupId, sort: 'true' })).body.data.list;
    }
    const ops = list.flatMap((m) => (m.groupOperation ? [m.groupOperation] : []));
    assert.ok(ops.some((o) => o.operation === 2 && o.group === groupId && o.members.some((u) => u.id === b.id)), JSON.stringify(ops));
    for (const m of list) assert.equal(['text', 'notice', 'groupOperation', 'image', 'voice'].filter((k) => k in m).length, 1);
  });

  test('History: newest first by default, oldest first with sort=1/true; start, minId, next and more', async () => {
    const owner = await makeUser(s);
    const groupId = (await call('CreateOrRelate', { userId: [owner.id], groupName: 'h' })).body.data.groupId;
    const native = client(s.url, owner.token);
    const ids: number[] = [];
    for (let i = 1; i <= 5; i++) {
      const sent = await native.post(`/v1/groups/${groupId}/messages`, { type: 'text', body: { text: `m${i}` } });
      assert.equal(sent.status, 201, sent.text);
      ids.push(sent.body.message?.id ?? sent.body.id);
    }
    const page = await call('History', { groupId, limit: 2 });
    assert.equal(page.body.code, 0, page.text);
    // The group's own notices (created, joined) are written around the sends: look at the texts.
    const texts = (list: { text?: { content: string } }[]) => list.filter((m) => m.text).map((m) => m.text!.content);
    assert.deepEqual(texts(page.body.data.list), ['m5', 'm4'].slice(0, texts(page.body.data.list).length));
    assert.equal(page.body.data.list[0].text.content, 'm5');
    assert.equal(page.body.data.more, true);
    assert.equal(page.body.data.next, page.body.data.list[1].id);
    const item = page.body.data.list[0];
    assert.equal(item.idStr, String(item.id));
    assert.deepEqual([item.from.id, item.group.id, item.group.amount, typeof item.ext, typeof item.isShow], [owner.id, groupId, 1, 'string', 'object']);
    assert.equal(item.voice, undefined);
    const older = await call('History', { groupId, limit: 10, start: page.body.data.next });
    assert.deepEqual(texts(older.body.data.list), ['m3', 'm2', 'm1']);
    assert.equal(older.body.data.more, false);
    const asc = await call('History', { groupId, limit: 2, sort: 'true', minId: ids[0] });
    assert.deepEqual(texts(asc.body.data.list), ['m2', 'm3']);
    assert.deepEqual(texts((await call('History', { groupId, sort: '1', start: ids[3] })).body.data.list), ['m5']);
    const bounded = await call('History', { groupId, minId: ids[2] });
    assert.deepEqual(texts(bounded.body.data.list), ['m5', 'm4']);
    assert.equal((await call('History', { groupId, sort: 'maybe' })).body.code, 1001);
    assert.equal((await call('History', { groupId: 5 })).body.code, 2003);
  });
});
