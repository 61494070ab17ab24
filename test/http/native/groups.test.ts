import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { client } from '../../support/http.ts';
import { cast, memberIds, people, person } from './groups-helpers.ts';
import type { DomainEvent } from '../../../src/core/events.ts';

describe('native groups: lifecycle, roles, membership', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(() => s.stop());

  test('create, get, list mine, public info', async () => {
    const [alice, bob, carol] = await people(s, 3);
    const r = await alice.api.post('/v1/groups', { name: 'Team', description: 'intro', notice: 'hi', memberIds: [bob.id, 999999], settings: { capacity: 50, readReceipts: true } });
    assert.equal(r.status, 201, r.text);
    const g = r.body.group;
    assert.equal(g.ownerId, alice.id);
    assert.equal(g.role, 'owner');
    assert.equal(g.memberCount, 2);
    assert.equal(g.capacity, 50);
    assert.equal(g.readReceipts, true);
    assert.equal(g.joinPolicy, 'approval');
    assert.match(g.cryptoKey, /^[0-9a-f]{32}$/);
    assert.match(g.markId, /^[0-9]{8}$/);
    assert.equal(g.publicName, 'Team');
    assert.deepEqual(r.body.members, [
      { userId: bob.id, ok: true },
      { userId: 999999, ok: false, reason: 'user_not_found' },
    ]);

    const got = await bob.api.get(`/v1/groups/${g.id}`);
    assert.equal(got.status, 200);
    assert.equal(got.body.role, 'member');
    assert.equal(got.body.notice, 'hi');

    const mine = await bob.api.get('/v1/groups');
    assert.deepEqual(mine.body.items.map((x: { id: number }) => x.id), [g.id]);
    assert.equal(mine.body.total, 1);

    const denied = await carol.api.get(`/v1/groups/${g.id}`);
    assert.equal(denied.status, 403);
    assert.equal(denied.body.error.code, 'not_group_member');
    const pub = await carol.api.get(`/v1/groups/${g.id}/public`);
    assert.equal(pub.status, 200);
    assert.equal(pub.body.joined, false);
    assert.equal(pub.body.group.name, 'Team');
    assert.equal('cryptoKey' in pub.body.group, false);

    assert.equal((await carol.api.get('/v1/groups/12345')).body.error.code, 'group_not_found');
  });

  test('list mine pages with a cursor and a total', async () => {
    const u = await person(s);
    for (let i = 0; i < 3; i++) assert.equal((await u.api.post('/v1/groups', { name: `g${i}` })).status, 201);
    const p1 = await u.api.get('/v1/groups', { query: { limit: 2 } });
    assert.equal(p1.body.items.length, 2);
    assert.equal(p1.body.total, 3);
    const p2 = await u.api.get('/v1/groups', { query: { limit: 2, cursor: p1.body.next } });
    assert.equal(p2.body.items.length, 1);
    assert.equal(p2.body.next, undefined);
  });

  test('add, kick (per-user results), leave; the owner cannot leave', async () => {
    const c = await cast(s);
    const [x, y] = await people(s, 2);
    const added = await c.member.api.post(`/v1/groups/${c.groupId}/members`, { userIds: [x.id, y.id, c.admin.id] });
    assert.deepEqual(added.body.results, [
      { userId: x.id, ok: true },
      { userId: y.id, ok: true },
      { userId: c.admin.id, ok: false, reason: 'already_group_member' },
    ]);
    const kicked = await c.admin.api.post(`/v1/groups/${c.groupId}/members/remove`, { userIds: [x.id, c.owner.id, c.admin.id, c.outsider.id] });
    assert.deepEqual(kicked.body.results, [
      { userId: x.id, ok: true },
      { userId: c.owner.id, ok: false, reason: 'cannot_act_on_higher_role' },
      { userId: c.admin.id, ok: false, reason: 'cannot_act_on_self' },
      { userId: c.outsider.id, ok: false, reason: 'not_group_member' },
    ]);
    assert.equal((await y.api.post(`/v1/groups/${c.groupId}/leave`)).status, 204);
    const ownerLeaves = await c.owner.api.post(`/v1/groups/${c.groupId}/leave`);
    assert.equal(ownerLeaves.status, 409);
    assert.equal(ownerLeaves.body.error.code, 'owner_cannot_leave');
    assert.deepEqual(await memberIds(c.owner.api, c.groupId), [c.owner.id, c.admin.id, c.member.id].sort());
    assert.equal((await c.owner.api.get(`/v1/groups/${c.groupId}`)).body.memberCount, 3);
  });

  test('admins: the owner appoints and removes; transfer moves ownership', async () => {
    const c = await cast(s);
    const denied = await c.admin.api.post(`/v1/groups/${c.groupId}/admins`, { userIds: [c.member.id] });
    assert.equal(denied.body.error.code, 'group_owner_required');
    const ok = await c.owner.api.post(`/v1/groups/${c.groupId}/admins`, { userIds: [c.member.id, c.outsider.id] });
    assert.deepEqual(ok.body.results, [
      { userId: c.member.id, ok: true },
      { userId: c.outsider.id, ok: false, reason: 'not_group_member' },
    ]);
    const admins = await c.member.api.get(`/v1/groups/${c.groupId}/admins`);
    assert.deepEqual(admins.body.items.map((m: { userId: number }) => m.userId).sort(), [c.admin.id, c.member.id].sort());
    await c.owner.api.post(`/v1/groups/${c.groupId}/admins/remove`, { userIds: [c.member.id] });
    assert.equal((await c.member.api.get(`/v1/groups/${c.groupId}/members/${c.member.id}`)).body.role, 'member');

    const notMember = await c.owner.api.post(`/v1/groups/${c.groupId}/transfer`, { userId: c.outsider.id });
    assert.equal(notMember.body.error.code, 'transfer_target_not_member');
    const t = await c.owner.api.post(`/v1/groups/${c.groupId}/transfer`, { userId: c.member.id });
    assert.equal(t.status, 200);
    assert.equal(t.body.ownerId, c.member.id);
    assert.equal((await c.owner.api.get(`/v1/groups/${c.groupId}/members/${c.owner.id}`)).body.role, 'member');
    assert.equal((await c.owner.api.post(`/v1/groups/${c.groupId}/leave`)).status, 204);
  });

  test('the admin cap holds', async () => {
    const s2 = await startTestServer({ config: { groupMaxAdmins: 1 } });
    try {
      const [o, a, b] = await people(s2, 3);
      const g = (await o.api.post('/v1/groups', { memberIds: [a.id, b.id] })).body.group.id;
      const r = await o.api.post(`/v1/groups/${g}/admins`, { userIds: [a.id, b.id] });
      assert.deepEqual(r.body.results, [
        { userId: a.id, ok: true },
        { userId: b.id, ok: false, reason: 'too_many_admins' },
      ]);
    } finally {
      await s2.stop();
    }
  });

  test('dismiss keeps history readable but stops sending and joining', async () => {
    const c = await cast(s);
    assert.equal((await c.admin.api.delete(`/v1/groups/${c.groupId}`)).body.error.code, 'group_owner_required');
    const d = await c.owner.api.delete(`/v1/groups/${c.groupId}`);
    assert.equal(d.status, 200);
    assert.equal(d.body.status, 'dismissed');
    const gate = s.core.groupGate;
    await assert.rejects(gate.assertCanSend(s.appId, c.groupId, c.member.id), { code: 'group_dismissed' });
    assert.equal((await gate.readAccess(s.appId, c.groupId, c.member.id)).role, 'member');
    assert.deepEqual(await gate.groupIdsOf(s.appId, c.member.id), []);
    const add = await c.owner.api.post(`/v1/groups/${c.groupId}/members`, { userIds: [c.outsider.id] });
    assert.equal(add.body.error.code, 'group_dismissed');
    assert.equal((await c.member.api.get(`/v1/groups/${c.groupId}`)).body.status, 'dismissed');
    assert.equal((await c.member.api.get('/v1/groups')).body.total, 0);
    assert.equal((await c.member.api.get('/v1/groups', { query: { includeDismissed: true } })).body.total, 1);
  });

  test('settings: capacity is enforced, and cannot drop below the member count', async () => {
    const c = await cast(s);
    const low = await c.owner.api.patch(`/v1/groups/${c.groupId}/settings`, { capacity: 2 });
    assert.equal(low.status, 400);
    const ok = await c.admin.api.patch(`/v1/groups/${c.groupId}/settings`, { capacity: 4, joinPolicy: 'open', historyVisible: true, allowFriending: false });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.body.capacity, 4);
    assert.equal(ok.body.historyVisible, true);
    const [x, y] = await people(s, 2);
    const r = await c.owner.api.post(`/v1/groups/${c.groupId}/members`, { userIds: [x.id, y.id] });
    assert.deepEqual(r.body.results, [
      { userId: x.id, ok: true },
      { userId: y.id, ok: false, reason: 'group_full' },
    ]);
    assert.equal((await c.member.api.patch(`/v1/groups/${c.groupId}/settings`, { readReceipts: true })).body.error.code, 'group_admin_required');
    const info = await c.member.api.patch(`/v1/groups/${c.groupId}`, { name: 'x' });
    assert.equal(info.body.error.code, 'modify_not_allowed');
    await c.owner.api.patch(`/v1/groups/${c.groupId}/settings`, { memberModify: true });
    const info2 = await c.member.api.patch(`/v1/groups/${c.groupId}`, { name: 'renamed', notice: 'n' });
    assert.equal(info2.body.name, 'renamed');
    assert.equal((await c.member.api.patch(`/v1/groups/${c.groupId}`, { kind: 'chatroom' })).body.error.code, 'group_admin_required');
    const access = await s.core.groupGate.readAccess(s.appId, c.groupId, c.member.id);
    assert.equal(access.visibleSinceMs, 0);
  });

  test('bad input is a 4xx that changes nothing', async () => {
    const u = await person(s);
    const api = u.api;
    const cases: [string, () => Promise<{ status: number; body: any }>, number][] = [
      ['unknown field', () => api.post('/v1/groups', { name: 'x', colour: 'red' }), 400],
      ['bad kind', () => api.post('/v1/groups', { kind: 'secret' }), 400],
      ['capacity zero', () => api.post('/v1/groups', { settings: { capacity: 0 } }), 400],
      ['non-numeric id', () => api.get('/v1/groups/abc'), 400],
      ['empty user list', () => api.post('/v1/groups/1/members', { userIds: [] }), 400],
      ['two mute kinds', () => api.put('/v1/groups/1/mute-all', { minutes: 1, forever: true }), 400],
      ['unknown group', () => api.post('/v1/groups/1/members', { userIds: [1] }), 404],
    ];
    for (const [name, run, status] of cases) assert.equal((await run()).status, status, name);
    assert.equal((await api.get('/v1/groups')).body.total, 0);
  });

  test('changes emit typed events with their audience, after commit', async () => {
    const c = await cast(s);
    const x = await person(s);
    const seen: DomainEvent[] = [];
    const off = s.core.events.on((e) => {
      if ('groupId' in e && e.groupId === c.groupId) seen.push(e);
    });
    try {
      await c.owner.api.post(`/v1/groups/${c.groupId}/invitations`, { userIds: [x.id] });
      await c.admin.api.post(`/v1/groups/${c.groupId}/members/remove`, { userIds: [c.member.id] });
      await c.owner.api.patch(`/v1/groups/${c.groupId}`, { name: 'new name' });
      const failed = await c.member.api.patch(`/v1/groups/${c.groupId}`, { name: 'refused' });
      assert.equal(failed.status, 403);
    } finally {
      off();
    }
    assert.deepEqual(seen.map((e) => e.type), ['group.invitation_created', 'group.members_removed', 'group.updated']);
    const [inv, kicked, renamed] = seen;
    assert.deepEqual(inv.type === 'group.invitation_created' && inv.audience, { users: [x.id, c.owner.id] });
    assert.deepEqual(kicked.type === 'group.members_removed' && kicked.audience, { groupId: c.groupId, users: [c.member.id] });
    assert.equal(kicked.type === 'group.members_removed' && kicked.actorId, c.admin.id);
    assert.deepEqual(renamed.type === 'group.updated' && [renamed.changed, renamed.group.name], [['name'], 'new name']);
  });

  test('every groups route is in the OpenAPI document', async () => {
    const doc = await client(s.url).get('/openapi.json');
    assert.equal(doc.status, 200);
    const paths = Object.keys(doc.body.paths);
    for (const p of ['/v1/groups', '/v1/groups/{groupId}', '/v1/groups/{groupId}/members', '/v1/groups/{groupId}/mutes', '/v1/groups/{groupId}/applications', '/v1/groups/invitations', '/v1/groups/qr-codes/redeem', '/v1/groups/{groupId}/announcements/latest', '/v1/groups/{groupId}/files/{fileId}', '/v1/groups/by-business']) {
      assert.ok(paths.includes(p), p);
    }
  });

  test('an app admin creates for an owner and acts with owner rights', async () => {
    const admin = client(s.url, s.adminToken);
    const [o, m] = await people(s, 2);
    const noOwner = await admin.post('/v1/groups', { name: 'x' });
    assert.equal(noOwner.status, 400);
    const r = await admin.post('/v1/groups', { name: 'x', ownerId: o.id, memberIds: [m.id] });
    assert.equal(r.status, 201, r.text);
    const g = r.body.group.id;
    assert.equal((await admin.post(`/v1/groups/${g}/admins`, { userIds: [m.id] })).body.results[0].ok, true);
    const kickOwner = await admin.post(`/v1/groups/${g}/members/remove`, { userIds: [o.id] });
    assert.equal(kickOwner.body.results[0].reason, 'cannot_act_on_higher_role');
    assert.equal((await admin.get('/v1/groups', { query: { userId: String(o.id) } })).body.total, 1);
    assert.equal((await o.api.get('/v1/groups', { query: { userId: String(m.id) } })).status, 403);
  });
});
