// dtalk's group admission goes through core's rules only: capacity is core's
// atomic admission (no check-then-add in the dialect), a batch is all or
// nothing as in the original, and joinType 2 (members_approval) answers -2000
// on invite and join because core says a direct add has no approval step.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { DtalkUser } from './support.ts';

const CAPACITY = 10;

describe('dtalk group admission (core rules)', () => {
  let server: TestServer;
  const admin = () => ({ appId: server.appId, userId: null, appAdmin: true });
  before(async () => {
    server = await startTestServer({ manualClock: true, config: { groupDefaultCapacity: CAPACITY } });
  });
  after(() => server.stop());

  const memberIds = async (groupId: number) => (await server.core.groups.members.list(admin(), groupId, { limit: 100 })).items.map((m) => m.userId);

  test('create-group with more members than the capacity answers -10003 and makes no group', async () => {
    const owner = new DtalkUser(server);
    const others = Array.from({ length: CAPACITY }, () => new DtalkUser(server));
    const r = await owner.post('/group/app/create-group', { name: 'too big', avatar: '', introduce: '', memberIds: others.map((u) => u.address) });
    assert.deepEqual([r.body.result, r.body.message], [-10003, '超出群人数上限'], r.text);
    const list = await owner.post('/group/app/group-list', {});
    assert.deepEqual([list.body.result, list.body.data.groups], [0, []], list.text);
    // Exactly at the capacity is fine.
    const fits = await owner.post('/group/app/create-group', { name: 'fits', avatar: '', introduce: '', memberIds: others.slice(1).map((u) => u.address) });
    assert.deepEqual([fits.body.result, fits.body.data.memberNum], [0, CAPACITY], fits.text);
  });

  test('parallel invites never exceed the capacity and never half-apply a batch', async () => {
    const owner = new DtalkUser(server);
    const made = await owner.post('/group/app/create-group', { name: 'race', avatar: '', introduce: '', memberIds: [] });
    assert.equal(made.body.result, 0, made.text);
    const ref = { idStr: made.body.data.idStr as string };
    const groupId = Number(ref.idStr);
    // 8 batches of 2 for 9 free seats: 4 fit; the others, one of them meeting a single free seat, must fail whole.
    const batches = Array.from({ length: 8 }, () => [new DtalkUser(server), new DtalkUser(server)]);
    const replies = await Promise.all(batches.map((b) => owner.post('/group/app/invite-group-members', { ...ref, newMemberIds: b.map((u) => u.address) })));
    for (const r of replies) assert.ok(r.body.result === 0 || r.body.result === -10003, r.text);
    assert.equal(replies.filter((r) => r.body.result === 0).length, 4, replies.map((r) => r.text).join('\n'));
    const g = await server.core.groups.lifecycle.get(admin(), groupId);
    assert.equal(g.memberCount, 1 + 4 * 2);
    assert.equal(new Set(await memberIds(groupId)).size, 1 + 4 * 2);
    const info = await owner.post('/group/app/group-member-list', ref);
    const listed = new Set((info.body.data.members as { memberId: string }[]).map((m) => m.memberId));
    batches.forEach((b, i) => {
      const inGroup = b.map((u) => listed.has(u.address));
      assert.deepEqual(inGroup, replies[i].body.result === 0 ? [true, true] : [false, false], `batch ${i}: ${replies[i].text}`);
    });
  });

  test('joinType 2 (members_approval): an ordinary member invites or lets someone join with -2000, and nothing changes', async () => {
    const owner = new DtalkUser(server);
    const member = new DtalkUser(server);
    const made = await owner.post('/group/app/create-group', { name: 'approval', avatar: '', introduce: '', memberIds: [member.address] });
    const ref = { idStr: made.body.data.idStr as string };
    assert.equal((await owner.post('/group/app/joinType', { ...ref, joinType: 2 })).body.result, 0);
    const invitee = new DtalkUser(server);
    const inv = await member.post('/group/app/invite-group-members', { ...ref, newMemberIds: [invitee.address] });
    assert.deepEqual([inv.body.result, inv.body.message], [-2000, '未支持该功能'], inv.text);
    const join = await invitee.post('/group/app/join-group', { id: 0, idStr: ref.idStr, inviterId: member.address });
    assert.deepEqual([join.body.result, join.body.message], [-2000, '未支持该功能'], join.text);
    assert.equal((await memberIds(Number(ref.idStr))).length, 2);
    // The owner still invites directly under joinType 2.
    const byOwner = await owner.post('/group/app/invite-group-members', { ...ref, newMemberIds: [invitee.address] });
    assert.deepEqual([byOwner.body.result, byOwner.body.data.memberNum], [0, 3], byOwner.text);
  });
});
