import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { cast, people } from './groups-helpers.ts';

const MINUTE = 60_000;

describe('native groups: moderation and the gate (manual clock)', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ manualClock: true });
  });
  after(() => s.stop());
  const clock = () => {
    if (!s.clock) throw new Error('manual clock expected');
    return s.clock;
  };

  test('mute for minutes expires; for ever stays; staff cannot be muted', async () => {
    const c = await cast(s);
    const gate = s.core.groupGate;
    const g = c.groupId;
    assert.equal(await gate.assertCanSend(s.appId, g, c.member.id), 'member');

    const r = await c.admin.api.post(`/v1/groups/${g}/mutes`, { userIds: [c.member.id, c.owner.id, c.admin.id, c.outsider.id], minutes: 10 });
    assert.deepEqual(r.body.results, [
      { userId: c.member.id, ok: true },
      { userId: c.owner.id, ok: false, reason: 'cannot_mute_staff' },
      { userId: c.admin.id, ok: false, reason: 'cannot_act_on_self' },
      { userId: c.outsider.id, ok: false, reason: 'not_group_member' },
    ]);
    const deadline = clock().now() + 10 * MINUTE;
    const m = await c.member.api.get(`/v1/groups/${g}/members/${c.member.id}`);
    assert.equal(m.body.mutedUntil, deadline);
    assert.equal(m.body.mutedForever, false);
    await assert.rejects(gate.assertCanSend(s.appId, g, c.member.id), { code: 'member_muted' });
    assert.equal((await c.member.api.get(`/v1/groups/${g}/mutes`)).body.total, 1);

    clock().advance(10 * MINUTE + 1);
    assert.equal(await gate.assertCanSend(s.appId, g, c.member.id), 'member');
    const list = await c.member.api.get(`/v1/groups/${g}/mutes`);
    assert.equal(list.body.total, 0);
    assert.equal((await c.member.api.get(`/v1/groups/${g}/members/${c.member.id}`)).body.mutedUntil, null);

    await c.owner.api.post(`/v1/groups/${g}/mutes`, { userIds: [c.member.id], forever: true });
    clock().advance(20 * 86_400_000);
    const f = await c.member.api.get(`/v1/groups/${g}/members/${c.member.id}`);
    assert.deepEqual([f.body.mutedUntil, f.body.mutedForever], [null, true]);
    await assert.rejects(gate.assertCanSend(s.appId, g, c.member.id), { code: 'member_muted' });

    await c.admin.api.post(`/v1/groups/${g}/mutes/remove`, { userIds: [c.member.id] });
    assert.equal(await gate.assertCanSend(s.appId, g, c.member.id), 'member');

    const until = clock().now() + 5000;
    await c.owner.api.post(`/v1/groups/${g}/mutes`, { userIds: [c.member.id], until });
    assert.equal((await c.member.api.get(`/v1/groups/${g}/members/${c.member.id}`)).body.mutedUntil, until);
    const past = await c.owner.api.post(`/v1/groups/${g}/mutes`, { userIds: [c.member.id], until: clock().now() - 1 });
    assert.equal(past.status, 400);
    const byMember = await c.member.api.post(`/v1/groups/${g}/mutes`, { userIds: [c.admin.id], minutes: 1 });
    assert.equal(byMember.body.error.code, 'group_admin_required');
  });

  test('mute-all: members silenced until the deadline, staff may speak', async () => {
    const c = await cast(s);
    const gate = s.core.groupGate;
    const g = c.groupId;
    const r = await c.admin.api.put(`/v1/groups/${g}/mute-all`, { minutes: 5 });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.muteAllUntil, clock().now() + 5 * MINUTE);
    await assert.rejects(gate.assertCanSend(s.appId, g, c.member.id), { code: 'group_muted' });
    assert.equal(await gate.assertCanSend(s.appId, g, c.admin.id), 'admin');
    assert.equal(await gate.assertCanSend(s.appId, g, c.owner.id), 'owner');
    clock().advance(5 * MINUTE);
    assert.equal(await gate.assertCanSend(s.appId, g, c.member.id), 'member');

    const f = await c.owner.api.put(`/v1/groups/${g}/mute-all`, { forever: true });
    assert.deepEqual([f.body.muteAllUntil, f.body.muteAllForever], [null, true]);
    clock().advance(20 * 86_400_000);
    await assert.rejects(gate.assertCanSend(s.appId, g, c.member.id), { code: 'group_muted' });
    const off = await c.owner.api.delete(`/v1/groups/${g}/mute-all`);
    assert.equal(off.body.muteAllForever, false);
    assert.equal(await gate.assertCanSend(s.appId, g, c.member.id), 'member');
    assert.equal((await c.member.api.put(`/v1/groups/${g}/mute-all`, { minutes: 1 })).body.error.code, 'group_admin_required');
  });

  test('block removes a member, keeps them out, unblock lets them back', async () => {
    const c = await cast(s);
    const g = c.groupId;
    const gate = s.core.groupGate;
    await assert.rejects(gate.assertCanSend(s.appId, g, c.blocked.id), { code: 'blocked_from_group' });
    await assert.rejects(gate.assertCanSend(s.appId, g, c.outsider.id), { code: 'not_group_member' });
    const again = await c.owner.api.post(`/v1/groups/${g}/members`, { userIds: [c.blocked.id] });
    assert.deepEqual(again.body.results, [{ userId: c.blocked.id, ok: false, reason: 'blocked_from_group' }]);
    const viaInviter = await c.blocked.api.post(`/v1/groups/${g}/join`, { inviterId: c.member.id });
    assert.equal(viaInviter.body.error.code, 'blocked_from_group');

    const adminBlocksAdmin = await c.admin.api.post(`/v1/groups/${g}/blocks`, { userIds: [c.owner.id] });
    assert.equal(adminBlocksAdmin.body.results[0].reason, 'cannot_act_on_higher_role');
    const list = await c.admin.api.get(`/v1/groups/${g}/blocks`);
    assert.deepEqual(list.body.items.map((b: { userId: number }) => b.userId), [c.blocked.id]);
    assert.equal((await c.member.api.get(`/v1/groups/${g}/blocks`)).body.error.code, 'group_admin_required');

    const un = await c.admin.api.post(`/v1/groups/${g}/blocks/remove`, { userIds: [c.blocked.id, c.outsider.id] });
    assert.deepEqual(un.body.results, [
      { userId: c.blocked.id, ok: true },
      { userId: c.outsider.id, ok: false, reason: 'not_found' },
    ]);
    assert.equal((await c.blocked.api.post(`/v1/groups/${g}/join`, { inviterId: c.member.id })).status, 204);
    assert.equal(await gate.assertCanSend(s.appId, g, c.blocked.id), 'member');
  });

  test('group messages over HTTP go through the gate (mute, block, dismiss)', async () => {
    const c = await cast(s);
    const g = c.groupId;
    const say = (who: { api: { post: (p: string, b: unknown) => Promise<{ status: number; body: any }> } }) => who.api.post(`/v1/groups/${g}/messages`, { type: 'text', body: { text: 'hi' } });
    assert.equal((await say(c.member)).status, 201);
    assert.equal((await say(c.outsider)).body.error.code, 'not_group_member');
    assert.equal((await say(c.blocked)).body.error.code, 'blocked_from_group');
    await c.admin.api.post(`/v1/groups/${g}/mutes`, { userIds: [c.member.id], minutes: 1 });
    assert.equal((await say(c.member)).body.error.code, 'member_muted');
    clock().advance(60_000);
    assert.equal((await say(c.member)).status, 201);
    await c.owner.api.delete(`/v1/groups/${g}`);
    assert.equal((await say(c.owner)).body.error.code, 'group_dismissed');
    const history = await c.member.api.get(`/v1/groups/${g}/messages`);
    assert.equal(history.status, 200, JSON.stringify(history.body));
  });

  test('read access follows history visibility and join time; member count', async () => {
    const [o, late] = await people(s, 2);
    const g = (await o.api.post('/v1/groups', { settings: { readReceipts: true } })).body.group.id;
    clock().advance(1000);
    const joinedAt = clock().now();
    await o.api.post(`/v1/groups/${g}/members`, { userIds: [late.id] });
    const gate = s.core.groupGate;
    assert.deepEqual(await gate.readAccess(s.appId, g, late.id), { role: 'member', visibleSinceMs: joinedAt, historyVisible: false, readReceipts: true });
    assert.equal(await gate.memberCount(s.appId, g), 2);
    assert.deepEqual(await gate.groupIdsOf(s.appId, late.id), [g]);
    await assert.rejects(gate.readAccess(s.appId, g + 1, late.id), { code: 'group_not_found' });
  });
});

describe('native groups: concurrent joins', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(() => s.stop());

  test('20 parallel joins into 10 free places never exceed capacity', async () => {
    const [owner] = await people(s, 1);
    const joiners = await people(s, 20);
    const g = (await owner.api.post('/v1/groups', { settings: { capacity: 11, invitePolicy: 'members' } })).body.group.id;
    const answers = await Promise.all(joiners.map((j) => j.api.post(`/v1/groups/${g}/join`, { inviterId: owner.id })));
    const ok = answers.filter((a) => a.status === 204).length;
    const full = answers.filter((a) => a.status === 409 && a.body.error.code === 'group_full').length;
    assert.equal(ok, 10, JSON.stringify(answers.filter((a) => a.status !== 204 && a.status !== 409).map((a) => a.text)));
    assert.equal(full, 10);
    const info = await owner.api.get(`/v1/groups/${g}`);
    assert.equal(info.body.memberCount, 11);
    const members = await owner.api.get(`/v1/groups/${g}/members`, { query: { limit: 100 } });
    assert.equal(members.body.items.length, 11);
    assert.equal(members.body.total, 11);
  });

  test('the same user joining twice at once is one membership', async () => {
    const [owner, j] = await people(s, 2);
    const g = (await owner.api.post('/v1/groups', {})).body.group.id;
    const answers = await Promise.all([1, 2, 3].map(() => j.api.post(`/v1/groups/${g}/join`, { inviterId: owner.id })));
    assert.deepEqual(answers.map((a) => a.status).sort(), [204, 409, 409]);
    assert.equal((await owner.api.get(`/v1/groups/${g}`)).body.memberCount, 2);
  });
});
