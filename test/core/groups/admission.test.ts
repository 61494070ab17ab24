// Admission (src/core/groups/admission.ts and its callers): the one way users
// become members. Capacity holds under parallel joins on either engine, an
// all-or-nothing batch keeps nothing when refused, a blocked user enters by
// no path, and find-or-create-then-join is one transaction.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { codeOf, startTestCore, type TestCore } from '../../support/core.ts';

describe('group admission', () => {
  let t: TestCore;
  before(async () => {
    t = await startTestCore();
  });
  after(() => t.close());

  async function groupOf(ownerId: number, settings: Record<string, unknown> = {}) {
    return (await t.core.groups.lifecycle.create(t.as(ownerId), { name: 'g', settings })).group;
  }
  const memberIds = async (groupId: number) => (await t.core.groups.members.list(t.admin, groupId, { limit: 1000 })).items.map((m) => m.userId);

  test('20 parallel joins into 5 free seats: exactly 5 join, the rest are group_full, the count is exact', async () => {
    const [owner, ...joiners] = await t.users(21);
    const g = await groupOf(owner, { capacity: 6, joinPolicy: 'open' });
    const outcomes = await Promise.all(joiners.map((u) => codeOf(t.core.groups.applications.apply(t.as(u), g.id))));
    assert.equal(outcomes.filter((o) => o === 'ok').length, 5, outcomes.join(','));
    assert.equal(outcomes.filter((o) => o === 'group_full').length, 15, outcomes.join(','));
    const after = await t.core.groups.lifecycle.get(t.admin, g.id);
    assert.equal(after.memberCount, 6);
    assert.equal((await memberIds(g.id)).length, 6);
  });

  test('an all-or-nothing add over capacity adds nobody and emits nothing', async () => {
    const [owner, a, b, c] = await t.users(4);
    const g = await groupOf(owner, { capacity: 3 });
    t.events.length = 0;
    assert.equal(await codeOf(t.core.groups.members.add(t.as(owner), g.id, [a, b, c], { allOrNothing: true })), 'group_full');
    assert.deepEqual(await memberIds(g.id), [owner]);
    assert.deepEqual(t.events.filter((e) => e.type === 'group.members_joined'), []);
    // Without the option the same call admits who fits and says who did not.
    const results = await t.core.groups.members.add(t.as(owner), g.id, [a, b, c]);
    assert.deepEqual(results.map((r) => [r.userId, r.ok, r.reason]), [[a, true, undefined], [b, true, undefined], [c, false, 'group_full']]);
  });

  test('an all-or-nothing add skips members already in and refuses a blocked user as a whole', async () => {
    const [owner, a, b, blocked] = await t.users(4);
    const g = await groupOf(owner);
    await t.core.groups.members.add(t.as(owner), g.id, [a]);
    assert.deepEqual((await t.core.groups.members.add(t.as(owner), g.id, [a, b], { allOrNothing: true })).map((r) => r.reason ?? 'ok'), ['already_group_member', 'ok']);
    await t.core.groups.moderation.block(t.as(owner), g.id, [blocked]);
    const c = (await t.users(1))[0];
    assert.equal(await codeOf(t.core.groups.members.add(t.as(owner), g.id, [c, blocked], { allOrNothing: true })), 'blocked_from_group');
    assert.equal((await memberIds(g.id)).includes(c), false);
  });

  test('a blocked user enters by no path: add, apply, invitation, QR code, inviter, business join', async () => {
    const [owner, blocked] = await t.users(2);
    const g = await groupOf(owner, { joinPolicy: 'open' });
    await t.core.groups.lifecycle.bindBusiness(t.as(owner), g.id, { businessType: 'course', businessId: String(g.id) });
    await t.core.groups.moderation.block(t.as(owner), g.id, [blocked]);
    assert.deepEqual((await t.core.groups.members.add(t.as(owner), g.id, [blocked])).map((r) => r.reason), ['blocked_from_group']);
    assert.equal(await codeOf(t.core.groups.applications.apply(t.as(blocked), g.id)), 'blocked_from_group');
    assert.deepEqual((await t.core.groups.invitations.invite(t.as(owner), g.id, [blocked])).map((r) => r.reason), ['blocked_from_group']);
    const { code } = await t.core.groups.qrCodes.sign(t.as(owner), g.id);
    assert.equal(await codeOf(t.core.groups.qrCodes.redeem(t.as(blocked), code)), 'blocked_from_group');
    assert.equal(await codeOf(t.core.groups.members.joinVia(t.as(blocked), g.id, owner)), 'blocked_from_group');
    assert.equal(await codeOf(t.core.groups.lifecycle.joinOrCreate(t.admin, { groupId: g.id }, blocked)), 'blocked_from_group');
    assert.deepEqual(await memberIds(g.id), [owner]);
  });

  test('joinOrCreate: 20 parallel first calls for one business key make one group holding all 20', async () => {
    const users = await t.users(20);
    const key = { businessType: 'consult', businessId: 'race-1' };
    const results = await Promise.all(users.map((u) => t.core.groups.lifecycle.joinOrCreate(t.admin, { business: key }, u, { name: 'race' })));
    const ids = new Set(results.map((r) => r.group.id));
    assert.equal(ids.size, 1);
    assert.equal(results.filter((r) => r.created).length, 1);
    const [groupId] = ids;
    assert.deepEqual((await memberIds(groupId)).sort(), [...users].sort());
    assert.equal((await t.core.groups.lifecycle.get(t.admin, groupId)).memberCount, 20);
    // Idempotent for a member.
    const again = await t.core.groups.lifecycle.joinOrCreate(t.admin, { business: key }, users[3]);
    assert.deepEqual([again.created, again.joined, again.group.id], [false, false, groupId]);
  });

  test('joinOrCreate by a user: themselves only, and only into an open group', async () => {
    const [owner, me, other] = await t.users(3);
    const key = { businessType: 'course', businessId: 'self-1' };
    assert.equal(await codeOf(t.core.groups.lifecycle.joinOrCreate(t.as(me), { business: key }, other)), 'forbidden');
    const made = await t.core.groups.lifecycle.joinOrCreate(t.as(owner), { business: key }, owner);
    assert.deepEqual([made.created, made.group.ownerId], [true, owner]);
    assert.equal(await codeOf(t.core.groups.lifecycle.joinOrCreate(t.as(me), { business: key }, me)), 'join_refused');
    await t.core.groups.settings.updateSettings(t.as(owner), made.group.id, { joinPolicy: 'open' });
    assert.equal((await t.core.groups.lifecycle.joinOrCreate(t.as(me), { business: key }, me)).joined, true);
  });

  test('a dismissed group admits nobody', async () => {
    const [owner, a] = await t.users(2);
    const g = await groupOf(owner, { joinPolicy: 'open' });
    await t.core.groups.lifecycle.dismiss(t.as(owner), g.id);
    assert.equal(await codeOf(t.core.groups.applications.apply(t.as(a), g.id)), 'group_dismissed');
    assert.equal(await codeOf(t.core.groups.members.add(t.as(owner), g.id, [a])), 'group_dismissed');
    assert.equal(await codeOf(t.core.groups.lifecycle.joinOrCreate(t.admin, { groupId: g.id }, a)), 'group_dismissed');
  });
});
