import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { client } from '../../support/http.ts';
import { cast, memberIds, people } from './groups-helpers.ts';

const DAY = 86_400_000;

describe('native groups: applications, invitations, QR codes, profiles, content (manual clock)', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ manualClock: true, config: { groupRequestTtl: 3600, groupQrCodeTtl: 600 } });
  });
  after(() => s.stop());
  const clock = () => {
    if (!s.clock) throw new Error('manual clock expected');
    return s.clock;
  };

  test('applications follow the join policy; handled once; expire', async () => {
    const c = await cast(s);
    const g = c.groupId;
    const [x, y, z] = await people(s, 3);
    const pending = await x.api.post(`/v1/groups/${g}/applications`, { reason: 'let me in' });
    assert.equal(pending.body.outcome, 'pending', pending.text);
    const appId = pending.body.application.id;
    assert.equal((await c.member.api.get(`/v1/groups/${g}/applications`)).body.error.code, 'group_admin_required');
    const list = await c.admin.api.get(`/v1/groups/${g}/applications`, { query: { status: 'pending' } });
    assert.equal(list.body.total, 1);
    assert.equal(list.body.items[0].reason, 'let me in');

    // two admins approving at once: one wins, the other is told it was handled
    const both = await Promise.all([c.admin.api, c.owner.api].map((api) => api.post(`/v1/groups/${g}/applications/${appId}/decision`, { approve: true })));
    assert.deepEqual(both.map((r) => r.status).sort(), [200, 409]);
    assert.equal(both.find((r) => r.status === 409)?.body.error.code, 'application_handled');
    assert.ok((await memberIds(c.owner.api, g)).includes(x.id));

    const late = await y.api.post(`/v1/groups/${g}/applications`, {});
    clock().advance(3600 * 1000);
    const expired = await c.admin.api.post(`/v1/groups/${g}/applications/${late.body.application.id}/decision`, { approve: true });
    assert.equal(expired.body.error.code, 'application_expired');
    assert.equal((await memberIds(c.owner.api, g)).includes(y.id), false);

    assert.equal((await c.blocked.api.post(`/v1/groups/${g}/applications`, {})).body.error.code, 'blocked_from_group');
    assert.equal((await c.member.api.post(`/v1/groups/${g}/applications`, {})).body.error.code, 'already_group_member');
    await c.owner.api.patch(`/v1/groups/${g}/settings`, { joinPolicy: 'closed' });
    assert.equal((await z.api.post(`/v1/groups/${g}/applications`, {})).body.error.code, 'join_refused');
    await c.owner.api.patch(`/v1/groups/${g}/settings`, { joinPolicy: 'open' });
    assert.equal((await z.api.post(`/v1/groups/${g}/applications`, {})).body.outcome, 'joined');
  });

  test('an application still pending at its expiry is listed as expired, and filters by status agree', async () => {
    const c = await cast(s);
    const g = c.groupId;
    const [x, y] = await people(s, 2);
    const first = (await x.api.post(`/v1/groups/${g}/applications`, { reason: 'early' })).body.application;
    clock().advance(1800 * 1000);
    const second = (await y.api.post(`/v1/groups/${g}/applications`, { reason: 'later' })).body.application;
    clock().advance(1800 * 1000); // the first reaches its expiresAt; the second has half an hour left
    const all = await c.admin.api.get(`/v1/groups/${g}/applications`);
    assert.equal(all.status, 200, all.text);
    assert.deepEqual(all.body.items.map((a: { id: number; status: string }) => [a.id, a.status]), [[first.id, 'expired'], [second.id, 'pending']]);
    assert.equal(all.body.items[0].expiresAt, first.expiresAt);
    const by = async (status: string) => (await c.admin.api.get(`/v1/groups/${g}/applications`, { query: { status } })).body;
    const pending = await by('pending');
    assert.deepEqual([pending.total, pending.items.map((a: { id: number }) => a.id)], [1, [second.id]]);
    const expired = await by('expired');
    assert.deepEqual([expired.total, expired.items.map((a: { id: number }) => a.id)], [1, [first.id]]);
    // A handled application keeps its status after its expiry passes.
    await c.admin.api.post(`/v1/groups/${g}/applications/${second.id}/decision`, { approve: false });
    clock().advance(1800 * 1000);
    assert.deepEqual((await c.admin.api.get(`/v1/groups/${g}/applications`)).body.items.map((a: { status: string }) => a.status), ['expired', 'declined']);
    assert.equal((await by('pending')).total, 0);
    // Applying again renews it: pending once more.
    await x.api.post(`/v1/groups/${g}/applications`, { reason: 'again' });
    assert.deepEqual((await by('pending')).items.map((a: { applicantId: number; status: string }) => [a.applicantId, a.status]), [[x.id, 'pending']]);
    const bad = await c.admin.api.get(`/v1/groups/${g}/applications`, { query: { status: 'stale' } });
    assert.equal(bad.status, 400);
  });

  test('invitations: accept, decline, expiry, policy', async () => {
    const c = await cast(s);
    const g = c.groupId;
    const [x, y, w] = await people(s, 3);
    const r = await c.member.api.post(`/v1/groups/${g}/invitations`, { userIds: [x.id, y.id, c.admin.id, c.blocked.id], reason: 'join us' });
    assert.deepEqual(r.body.results, [
      { userId: x.id, ok: true },
      { userId: y.id, ok: true },
      { userId: c.admin.id, ok: false, reason: 'already_group_member' },
      { userId: c.blocked.id, ok: false, reason: 'blocked_from_group' },
    ]);
    const mine = await x.api.get('/v1/groups/invitations');
    assert.equal(mine.body.total, 1);
    const inv = mine.body.items[0];
    assert.equal(inv.inviterId, c.member.id);
    assert.equal((await y.api.post(`/v1/groups/invitations/${inv.id}/decision`, { accept: true })).body.error.code, 'invitation_not_found');
    assert.equal((await x.api.post(`/v1/groups/invitations/${inv.id}/decision`, { accept: true })).body.status, 'accepted');
    assert.equal((await x.api.post(`/v1/groups/invitations/${inv.id}/decision`, { accept: true })).body.error.code, 'invitation_handled');
    assert.ok((await memberIds(c.owner.api, g)).includes(x.id));

    const yInv = (await y.api.get('/v1/groups/invitations')).body.items[0];
    assert.equal(yInv.status, 'pending');
    clock().advance(3600 * 1000 + 1);
    assert.equal((await y.api.post(`/v1/groups/invitations/${yInv.id}/decision`, { accept: true })).body.error.code, 'invitation_expired');
    // Undecided at its expiry: listed as expired, to the invitee and to the inviter; the accepted one keeps its status.
    assert.deepEqual((await y.api.get('/v1/groups/invitations')).body.items.map((i: { id: number; status: string }) => [i.id, i.status]), [[yInv.id, 'expired']]);
    assert.deepEqual((await c.member.api.get('/v1/groups/invitations', { query: { groupId: g } })).body.items.map((i: { inviteeId: number; status: string }) => [i.inviteeId, i.status]), [[y.id, 'expired'], [x.id, 'accepted']]);

    await c.owner.api.patch(`/v1/groups/${g}/settings`, { invitePolicy: 'admins' });
    assert.equal((await c.member.api.post(`/v1/groups/${g}/invitations`, { userIds: [w.id] })).body.error.code, 'invite_not_allowed');
    await c.owner.api.patch(`/v1/groups/${g}/settings`, { invitePolicy: 'members_approval' });
    const viaApproval = await c.member.api.post(`/v1/groups/${g}/invitations`, { userIds: [w.id] });
    assert.equal(viaApproval.body.results[0].ok, true);
    const apps = await c.owner.api.get(`/v1/groups/${g}/applications`, { query: { status: 'pending' } });
    const forW = apps.body.items.find((a: { applicantId: number }) => a.applicantId === w.id);
    assert.equal(forW.inviterId, c.member.id);
    await c.owner.api.post(`/v1/groups/${g}/applications/${forW.id}/decision`, { approve: false });
    assert.equal((await memberIds(c.owner.api, g)).includes(w.id), false);
  });

  test('QR codes: signed, expiring, tamper-proof', async () => {
    const c = await cast(s);
    const g = c.groupId;
    const [x, y, z] = await people(s, 3);
    const q = await c.member.api.post(`/v1/groups/${g}/qr-codes`);
    assert.equal(q.status, 201, q.text);
    assert.equal(q.body.expiresAt - q.body.createdAt, 600_000);
    assert.equal((await c.outsider.api.post(`/v1/groups/${g}/qr-codes`)).body.error.code, 'not_group_member');

    const [body, mac] = q.body.code.split('.');
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...payload, e: payload.e + DAY })).toString('base64url');
    // The same MAC bytes spelt differently: the last character's two spare bits flipped, a stray character inside.
    const last = mac.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const respelt = mac.slice(0, -1) + alphabet[alphabet.indexOf(last) ^ 1];
    assert.deepEqual(Buffer.from(respelt, 'base64url'), Buffer.from(mac, 'base64url'));
    const stray = `${mac.slice(0, 10)}*${mac.slice(10)}`;
    for (const bad of [`${forged}.${mac}`, `${body}.${mac.replace(/.(.{9})$/, (m: string, tail: string) => (m[0] === 'A' ? 'B' : 'A') + tail)}`, 'nonsense', `${body}`, `${body}.${respelt}`, `${body}.${stray}`]) {
      const r = await x.api.post('/v1/groups/qr-codes/redeem', { code: bad });
      assert.equal(r.body.error.code, 'qr_code_invalid', bad);
    }
    assert.equal((await x.api.post('/v1/groups/qr-codes/redeem', { code: q.body.code })).body.groupId, g);
    assert.equal((await x.api.post('/v1/groups/qr-codes/redeem', { code: q.body.code })).body.error.code, 'already_group_member');
    assert.equal((await c.blocked.api.post('/v1/groups/qr-codes/redeem', { code: q.body.code })).body.error.code, 'blocked_from_group');
    clock().advance(600_000);
    const expired = await y.api.post('/v1/groups/qr-codes/redeem', { code: q.body.code });
    assert.equal(expired.status, 410);
    assert.equal(expired.body.error.code, 'qr_code_expired');
    assert.deepEqual((await memberIds(c.owner.api, g)).includes(y.id) || (await memberIds(c.owner.api, g)).includes(z.id), false);
  });

  test('member profiles: display names and notification modes', async () => {
    const c = await cast(s);
    const g = c.groupId;
    const self = await c.member.api.patch(`/v1/groups/${g}/members/${c.member.id}`, { displayName: 'Mo', messageMuteMode: 2, pushMode: 4 });
    assert.equal(self.status, 200, self.text);
    assert.deepEqual([self.body.displayName, self.body.messageMuteMode, self.body.pushMode], ['Mo', 2, 4]);
    assert.equal((await c.admin.api.patch(`/v1/groups/${g}/members/${c.member.id}`, { displayName: 'Mod' })).body.displayName, 'Mod');
    assert.equal((await c.admin.api.patch(`/v1/groups/${g}/members/${c.member.id}`, { pushMode: 1 })).body.error.code, 'forbidden');
    assert.equal((await c.admin.api.patch(`/v1/groups/${g}/members/${c.owner.id}`, { displayName: 'x' })).body.error.code, 'cannot_act_on_higher_role');
    assert.equal((await c.member.api.patch(`/v1/groups/${g}/members/${c.admin.id}`, { displayName: 'x' })).body.error.code, 'group_admin_required');
    assert.equal((await c.member.api.patch(`/v1/groups/${g}/members/${c.member.id}`, { pushMode: 5 })).status, 400);
    const names = await c.member.api.post(`/v1/groups/${g}/members/lookup`, { userIds: [c.member.id, c.outsider.id] });
    assert.deepEqual(names.body.items.map((m: { userId: number; displayName: string }) => [m.userId, m.displayName]), [[c.member.id, 'Mod']]);
  });

  test('announcements and files', async () => {
    const c = await cast(s);
    const g = c.groupId;
    assert.equal((await c.member.api.post(`/v1/groups/${g}/announcements`, { title: 't', content: 'c' })).body.error.code, 'modify_not_allowed');
    const a1 = await c.admin.api.post(`/v1/groups/${g}/announcements`, { title: 'first', content: 'one' });
    assert.equal(a1.status, 201);
    assert.equal(a1.body.authorId, c.admin.id);
    clock().advance(1);
    const a2 = await c.owner.api.post(`/v1/groups/${g}/announcements`, { title: 'second', content: 'two' });
    assert.equal((await c.member.api.get(`/v1/groups/${g}/announcements/latest`)).body.id, a2.body.id);
    const edited = await c.owner.api.patch(`/v1/groups/${g}/announcements/${a1.body.id}`, { content: 'uno' });
    assert.equal(edited.body.content, 'uno');
    const list = await c.member.api.get(`/v1/groups/${g}/announcements`, { query: { limit: 1 } });
    assert.equal(list.body.total, 2);
    assert.equal(list.body.items[0].id, a2.body.id);
    assert.equal((await c.member.api.get(`/v1/groups/${g}/announcements`, { query: { cursor: list.body.next } })).body.items[0].id, a1.body.id);
    assert.equal((await c.owner.api.delete(`/v1/groups/${g}/announcements/${a1.body.id}`)).status, 204);
    assert.equal((await c.member.api.get(`/v1/groups/${g}/announcements/${a1.body.id}`)).body.error.code, 'announcement_not_found');
    assert.equal((await c.outsider.api.get(`/v1/groups/${g}/announcements`)).body.error.code, 'not_group_member');

    const f = await c.member.api.post(`/v1/groups/${g}/files`, { name: 'a.pdf', size: 1234, type: 'application/pdf', url: 'https://files/a.pdf', objectKey: 'k/a.pdf' });
    assert.equal(f.status, 201, f.text);
    assert.equal(f.body.uploaderId, c.member.id);
    const other = await c.admin.api.post(`/v1/groups/${g}/files`, { name: 'b.txt', size: 1, url: 'https://files/b.txt' });
    assert.equal((await c.member.api.patch(`/v1/groups/${g}/files/${f.body.id}`, { name: 'A.pdf' })).body.name, 'A.pdf');
    assert.equal((await c.member.api.delete(`/v1/groups/${g}/files/${other.body.id}`)).body.error.code, 'group_admin_required');
    assert.equal((await c.admin.api.delete(`/v1/groups/${g}/files/${f.body.id}`)).status, 204);
    const files = await c.member.api.get(`/v1/groups/${g}/files`);
    assert.deepEqual(files.body.items.map((x: { id: number }) => x.id), [other.body.id]);
    assert.equal((await c.member.api.get(`/v1/groups/${g}/files/${f.body.id}`)).body.error.code, 'group_file_not_found');
  });

  test('business binding: find-or-create is idempotent under concurrency', async () => {
    const [u] = await people(s, 1);
    const answers = await Promise.all(Array.from({ length: 8 }, () => u.api.put('/v1/groups/by-business', { businessType: 'consult', businessId: '42', name: 'Consult 42' })));
    const ids = new Set(answers.map((a) => a.body.group.id));
    assert.equal(ids.size, 1, JSON.stringify(answers.map((a) => a.text)));
    assert.equal(answers.filter((a) => a.status === 201).length, 1);
    const [id] = [...ids];
    assert.equal((await u.api.get('/v1/groups/by-business', { query: { businessType: 'consult', businessId: '42' } })).body.id, id);
    const other = (await u.api.post('/v1/groups', { name: 'x' })).body.group.id;
    assert.equal((await u.api.put(`/v1/groups/${other}/business`, { businessType: 'consult', businessId: '42' })).body.error.code, 'conflict');
    assert.equal((await u.api.put(`/v1/groups/${other}/business`, { businessType: 'consult', businessId: '43' })).body.businessId, '43');
    const admin = client(s.url, s.adminToken);
    const [v, w] = await people(s, 2);
    const first = await admin.post('/v1/groups/by-business/members', { businessType: 'course', businessId: '7', userId: v.id, name: 'Course 7' });
    assert.deepEqual([first.status, first.body.created, first.body.joined, first.body.group.ownerId], [200, true, true, v.id], first.text);
    const second = await admin.post('/v1/groups/by-business/members', { businessType: 'course', businessId: '7', userId: w.id });
    assert.deepEqual([second.body.created, second.body.joined, second.body.group.id], [false, true, first.body.group.id]);
    const again = await admin.post('/v1/groups/by-business/members', { businessType: 'course', businessId: '7', userId: w.id });
    assert.deepEqual([again.body.created, again.body.joined, again.body.group.memberCount], [false, false, 2]);
    assert.equal((await w.api.post('/v1/groups/by-business/members', { businessType: 'course', businessId: '7', userId: v.id })).body.error.code, 'forbidden');
    // A user adding themselves gets past no join policy: the group (approval, the default) wants an application.
    const [x] = await people(s, 1);
    const self = await x.api.post('/v1/groups/by-business/members', { businessType: 'course', businessId: '7', userId: x.id });
    assert.deepEqual([self.status, self.body.error?.code], [403, 'join_refused'], self.text);
    assert.equal((await admin.get(`/v1/groups/${first.body.group.id}`)).body.memberCount, 2);
    const batch = await u.api.post('/v1/groups/batch', { groupIds: [id, other, 777] });
    assert.deepEqual(batch.body.items.map((i: { group: { id: number }; joined: boolean }) => [i.group.id, i.joined]), [[id, true], [other, true]]);
  });
});
