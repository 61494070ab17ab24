// Conformance of applications, invitations and QR codes
// (lanying-group-api.md 4.9–4.11, 4.30–4.32, 4.40, 4.41; /app/qrcode/*).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { makeUser } from '../../support/fixtures.ts';
import { assertDocumented, lanying } from '../../support/lanying.ts';

describe('lanying joining', () => {
  let s: TestServer;
  const as = (token: string) => lanying(s.url, { appId: s.appId, token });
  before(async () => {
    s = await startTestServer({ manualClock: true });
  });
  after(() => s.stop());

  async function group() {
    const owner = await makeUser(s);
    const member = await makeUser(s);
    const g = (await as(owner.token).post('/group/create', { name: 'g', user_list: [member.id] })).body.data.group_id as number;
    return { owner, member, g };
  }

  test('apply_approval gates /group/apply: 1 files, the admin handles; 0 joins at once; 2 refuses', async () => {
    const { owner, g } = await group();
    const u = await makeUser(s);
    const applied = await as(u.token).post('/group/apply', { group_id: g, reason: 'hi' });
    assertDocumented('POST /group/apply', applied);
    assert.deepEqual(applied.body.data, { reason: '', result: 'success', user_id: u.id });
    const list = await as(owner.token).post('/group/application_list', { group_list: [g] });
    assertDocumented('POST /group/application_list', list);
    assert.deepEqual([list.body.data[0].applicant_id, list.body.data[0].status, list.body.data[0].reason], [u.id, 0, 'hi']);
    assert.ok(list.body.data[0].expired_time > s.clock!.now());
    const handled = await as(owner.token).put('/group/apply/handle', { group_id: g, user_id: u.id, approval: true });
    assertDocumented('PUT /group/apply/handle', handled);
    assert.equal((await as(u.token).get('/group/info', { group_id: g })).body.data.count, 3);
    assert.equal((await as(owner.token).post('/group/apply/handle', { group_id: g, user_id: u.id, approval: true })).body.code, 20014);
    assert.equal((await as(u.token).post('/group/apply', { group_id: g })).body.code, 20017);

    await as(owner.token).post('/group/settings/require_admin_approval', { group_id: g, apply_approval: 0 });
    const v = await makeUser(s);
    await as(v.token).post('/group/apply', { group_id: g });
    assert.equal((await as(v.token).get('/group/info', { group_id: g })).body.data.count, 4);
    await as(owner.token).post('/group/settings/require_admin_approval', { group_id: g, apply_approval: 2 });
    assert.equal((await as((await makeUser(s)).token).post('/group/apply', { group_id: g })).body.code, 10010);
  });

  test('application_list leaves out applications that expired undecided (4.9 has no status for them); decided ones stay', async () => {
    const { owner, g } = await group();
    const [early, late, decided] = [await makeUser(s), await makeUser(s), await makeUser(s)];
    await as(early.token).post('/group/apply', { group_id: g, reason: 'early' });
    await as(decided.token).post('/group/apply', { group_id: g, reason: 'decided' });
    await as(owner.token).put('/group/apply/handle', { group_id: g, user_id: decided.id, approval: false });
    const ttl = s.config.groupRequestTtl * 1000;
    s.clock!.advance(ttl / 2);
    await as(late.token).post('/group/apply', { group_id: g, reason: 'late' });
    s.clock!.advance(ttl / 2); // early's expired_time has come; late has half its time left
    const list = await as(owner.token).post('/group/application_list', { group_list: [g] });
    assertDocumented('POST /group/application_list', list);
    assert.deepEqual(list.body.data.map((a: { applicant_id: number; status: number }) => [a.applicant_id, a.status]), [[decided.id, 2], [late.id, 0]]);
    assert.equal(list.body.total, 2);
    for (const a of list.body.data) if (a.status === 0) assert.ok(a.expired_time > s.clock!.now());
    // Paged by hand, the count agrees.
    const paged = await as(owner.token).post('/group/application_list?limit=1', { group_list: [g] });
    assert.deepEqual([paged.body.data.length, paged.body.total], [1, 2]);
    // Handling the expired one is refused as in 4.11; applying again lists it anew.
    assert.equal((await as(owner.token).put('/group/apply/handle', { group_id: g, user_id: early.id, approval: true })).body.code, 20014);
    await as(early.token).post('/group/apply', { group_id: g, reason: 'again' });
    const again = await as(owner.token).post('/group/application_list', { group_list: [g] });
    assert.deepEqual(again.body.data.map((a: { applicant_id: number; status: number; reason: string }) => [a.applicant_id, a.status, a.reason]), [[early.id, 0, 'again'], [decided.id, 2, 'decided'], [late.id, 0, 'late']]);
  });

  test('member_invite gates /group/invite; the invitee handles by inviter id or by its own id', async () => {
    const { owner, member, g } = await group();
    const x = await makeUser(s);
    const y = await makeUser(s);
    const inv = await as(member.token).post('/group/invite', { group_id: g, user_list: [x.id, y.id], reason: 'join us' });
    assertDocumented('POST /group/invite', inv);
    assert.deepEqual(inv.body.data.map((r: { result: string }) => r.result), ['success', 'success']);
    const mine = await as(x.token).get('/group/invitation_list');
    assertDocumented('GET /group/invitation_list', mine);
    assert.deepEqual([mine.body.data[0].inviter_id, mine.body.data[0].invitee_id, mine.body.data[0].status], [member.id, x.id, 0]);
    // Native SDKs send the inviter; the web UI sends the invitee itself.
    const byInviter = await as(x.token).post('/group/invite/handle', { group_id: g, user_id: member.id, approval: true });
    assertDocumented('POST /group/invite/handle', byInviter);
    assert.equal((await as(y.token).put('/group/invite/handle', { group_id: g, user_id: y.id, approval: false })).body.data, true);
    assert.equal((await as(owner.token).get('/group/info', { group_id: g })).body.data.count, 3);
    assert.equal((await as(y.token).get('/group/invitation_list')).body.data[0].status, 2);

    // An invitation left undecided past its expired_time leaves the list (4.30 has no status for it).
    const z = await makeUser(s);
    await as(member.token).post('/group/invite', { group_id: g, user_list: [z.id] });
    assert.deepEqual((await as(z.token).get('/group/invitation_list')).body.data.map((i: { status: number }) => i.status), [0]);
    s.clock!.advance(s.config.groupRequestTtl * 1000);
    const afterExpiry = await as(z.token).get('/group/invitation_list');
    assertDocumented('GET /group/invitation_list', afterExpiry);
    assert.deepEqual([afterExpiry.body.data, afterExpiry.body.total], [[], 0]);
    assert.equal((await as(z.token).post('/group/invite/handle', { group_id: g, user_id: member.id, approval: true })).body.code, 20015);
    assert.deepEqual((await as(member.token).get('/group/invitation_list')).body.data.map((i: { invitee_id: number; status: number }) => [i.invitee_id, i.status]), [[y.id, 2], [x.id, 1]]);

    await as(owner.token).post('/group/settings/allow_member_invitation', { group_id: g, value: false });
    assert.equal((await as(member.token).post('/group/invite', { group_id: g, user_list: [y.id] })).body.code, 20012);
    assert.equal((await as(owner.token).post('/group/invite', { group_id: g, user_list: [y.id] })).body.code, 200);
  });

  test('QR codes: sign, join; forged 20024; expired 20025; the app-level routes too', async () => {
    const { owner, g } = await group();
    const sign = await as(owner.token).get('/group/qrcode/sign', { group_id: g });
    assertDocumented('GET /group/qrcode/sign', sign);
    assert.ok(sign.body.data.expire_at > sign.body.data.create_at);
    const u = await makeUser(s);
    const joined = await as(u.token).post('/group/qrcode/invite', { qr_info: sign.body.data.qr_info });
    assertDocumented('POST /group/qrcode/invite', joined);
    assert.equal((await as(u.token).get('/group/info', { group_id: g })).body.data.count, 3);
    const forged = sign.body.data.qr_info.replace(/.(.{9})$/, (_m: string, tail: string) => (_m[0] === 'A' ? 'B' : 'A') + tail);
    assert.equal((await as((await makeUser(s)).token).post('/group/qrcode/invite', { qr_info: forged })).body.code, 20024);
    assert.equal((await as((await makeUser(s)).token).post('/group/qrcode/invite', { qr_info: 'nonsense' })).body.code, 20024);

    const app = await as(owner.token).get('/app/qrcode/group_sign', { group_id: g });
    assert.equal(app.body.code, 200);
    const v = await makeUser(s);
    assert.equal((await as(v.token).get('/app/qrcode/group_invite', { qr_info: app.body.data.qr_info })).body.data.group_id, g);
    s.clock!.advance(app.body.data.expire_at - s.clock!.now() + 1);
    assert.equal((await as((await makeUser(s)).token).post('/group/qrcode/invite', { qr_info: app.body.data.qr_info })).body.code, 20025);
  });
});
