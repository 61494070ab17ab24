// Everything in groups that ends by the clock: member mutes and the group-wide
// mute, invitations, applications and QR codes. The clock is moved by hand,
// so each deadline is checked on both sides without sleeping.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { codeOf, startTestCore, type TestCore } from '../../support/core.ts';

const TTL = 60_000;
describe('group expiries', () => {
  let t: TestCore;
  before(async () => {
    t = await startTestCore({ settings: { groups: { applicationTtlMs: TTL, invitationTtlMs: TTL, qrCodeTtlMs: TTL } } });
  });
  after(() => t.close());

  const canSend = (groupId: number, userId: number) => codeOf(t.core.groups.assertCanSend(t.appId, groupId, userId));

  test('a timed mute holds until its deadline and lapses at it; for ever does not lapse', async () => {
    const [owner, m, n] = await t.users(3);
    const { group } = await t.core.groups.lifecycle.create(t.as(owner), { memberIds: [m, n] });
    const start = t.clock.now();
    await t.core.groups.moderation.mute(t.as(owner), group.id, [m], { forMs: 10_000 });
    await t.core.groups.moderation.mute(t.as(owner), group.id, [n], { forever: true });
    assert.equal(await canSend(group.id, m), 'member_muted');
    t.clock.set(start + 9_999);
    assert.equal(await canSend(group.id, m), 'member_muted');
    assert.deepEqual((await t.core.groups.moderation.listMuted(t.as(owner), group.id, { limit: 10 })).items.map((x) => x.userId).sort(), [m, n].sort());
    t.clock.set(start + 10_000);
    assert.equal(await canSend(group.id, m), 'ok');
    assert.deepEqual((await t.core.groups.moderation.listMuted(t.as(owner), group.id, { limit: 10 })).items.map((x) => x.userId), [n]);
    t.clock.advance(10 * 365 * 86_400_000);
    assert.equal(await canSend(group.id, n), 'member_muted');
  });

  test('a mute bound (a dialect\'s maxMs) refuses longer timed mutes, never "for ever"', async () => {
    const [owner, m] = await t.users(2);
    const { group } = await t.core.groups.lifecycle.create(t.as(owner), { memberIds: [m] });
    assert.equal(await codeOf(t.core.groups.moderation.mute(t.as(owner), group.id, [m], { forMs: 86_400_001 }, { maxMs: 86_400_000 })), 'invalid_argument');
    assert.equal(await canSend(group.id, m), 'ok', 'the refused mute changed nothing');
    assert.deepEqual((await t.core.groups.moderation.mute(t.as(owner), group.id, [m], { forever: true }, { maxMs: 86_400_000 })).map((r) => r.ok), [true]);
  });

  test('the group-wide mute silences members until its deadline, never the staff', async () => {
    const [owner, admin, m] = await t.users(3);
    const { group } = await t.core.groups.lifecycle.create(t.as(owner), { memberIds: [admin, m] });
    await t.core.groups.roles.addAdmins(t.as(owner), group.id, [admin]);
    await t.core.groups.settings.muteAll(t.as(owner), group.id, { forMs: 5_000 });
    assert.deepEqual([await canSend(group.id, m), await canSend(group.id, admin), await canSend(group.id, owner)], ['group_muted', 'ok', 'ok']);
    t.clock.advance(5_000);
    assert.equal(await canSend(group.id, m), 'ok');
  });

  test('an invitation can be accepted until it expires, then it is listed as expired and refused', async () => {
    const [owner, a, b] = await t.users(3);
    const { group } = await t.core.groups.lifecycle.create(t.as(owner), {});
    await t.core.groups.invitations.invite(t.as(owner), group.id, [a, b]);
    t.clock.advance(TTL - 1);
    await t.core.groups.invitations.respond(t.as(a), { groupId: group.id }, true);
    t.clock.advance(1);
    const listed = await t.core.groups.invitations.listMine(t.as(b), { groupId: group.id, limit: 10 });
    assert.deepEqual(listed.items.map((i) => i.status), ['expired']);
    assert.equal(await codeOf(t.core.groups.invitations.respond(t.as(b), { invitationId: listed.items[0].id }, true)), 'invitation_expired');
    const members = (await t.core.groups.members.list(t.admin, group.id, { limit: 10 })).items.map((x) => x.userId);
    assert.deepEqual(members.sort(), [owner, a].sort());
  });

  test('an application can be approved until it expires; then it is listed as expired and cannot be handled', async () => {
    const [owner, a, b] = await t.users(3);
    const { group } = await t.core.groups.lifecycle.create(t.as(owner), { settings: { joinPolicy: 'approval' } });
    const first = await t.core.groups.applications.apply(t.as(a), group.id, 'please');
    assert.equal(first.outcome, 'pending');
    t.clock.advance(TTL - 1);
    await t.core.groups.applications.handle(t.as(owner), { groupId: group.id, applicantId: a }, true);
    await t.core.groups.applications.apply(t.as(b), group.id);
    t.clock.advance(TTL);
    const listed = await t.core.groups.applications.list(t.as(owner), [group.id], { limit: 10 });
    assert.deepEqual(listed.items.map((x) => [x.applicantId, x.status]), [[a, 'accepted'], [b, 'expired']]);
    assert.equal(await codeOf(t.core.groups.applications.handle(t.as(owner), { groupId: group.id, applicantId: b }, true)), 'application_expired');
    // Applying again refreshes the application with a new deadline.
    await t.core.groups.applications.apply(t.as(b), group.id);
    assert.equal((await t.core.groups.applications.handle(t.as(owner), { groupId: group.id, applicantId: b }, true)).status, 'accepted');
  });

  test('a QR code opens the group until it expires; an altered code never does', async () => {
    const [owner, a, b, c] = await t.users(4);
    const { group } = await t.core.groups.lifecycle.create(t.as(owner), { settings: { joinPolicy: 'closed' } });
    const qr = await t.core.groups.qrCodes.sign(t.as(owner), group.id);
    assert.equal(qr.expiresAt, t.clock.now() + TTL);
    // The code is the invitation: the closed join policy does not stop it.
    assert.equal((await t.core.groups.qrCodes.redeem(t.as(a), qr.code)).id, group.id);
    const [body, mac] = qr.code.split('.');
    const altered = `${body.slice(0, -2)}${body.at(-2) === 'A' ? 'B' : 'A'}${body.at(-1)}.${mac}`;
    assert.equal(await codeOf(t.core.groups.qrCodes.redeem(t.as(b), altered)), 'qr_code_invalid');
    t.clock.advance(TTL);
    assert.equal(await codeOf(t.core.groups.qrCodes.redeem(t.as(c), qr.code)), 'qr_code_expired');
    const members = (await t.core.groups.members.list(t.admin, group.id, { limit: 10 })).items.map((x) => x.userId);
    assert.deepEqual(members.sort(), [owner, a].sort());
  });
});
