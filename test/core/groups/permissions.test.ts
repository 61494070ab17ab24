// The one permission table of groups (src/core/groups/permissions.ts): who
// may do what, which setting opens an action to members, the refusal each
// standing gets, and who may act on whom. Pure: a group value in, an answer out.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isParleyError } from '../../../src/core/errors.ts';
import type { Group } from '../../../src/core/groups/model.ts';
import { GroupAction, assertCan, can, mayActOn, type Standing } from '../../../src/core/groups/permissions.ts';

const group = (settings: Partial<Group> = {}): Group => ({
  id: 5,
  appId: 1,
  kind: 'private',
  status: 'active',
  name: 'g',
  publicName: 'g',
  avatar: '',
  description: '',
  notice: '',
  ext: '',
  attrs: {},
  ownerId: 1,
  creatorId: 1,
  markId: '12345678',
  cryptoKey: 'k',
  businessType: null,
  businessId: null,
  capacity: 10,
  joinPolicy: 'approval',
  invitePolicy: 'members',
  memberModify: false,
  readReceipts: false,
  historyVisible: false,
  allowFriending: true,
  isPublic: false,
  adminsMayLeave: true,
  hideMemberInfo: false,
  broadcast: false,
  membersMayReact: true,
  slowModeSeconds: 0,
  noticeMemberThreshold: 500,
  memberCount: 1,
  muteAllUntil: null,
  createdAt: 0,
  updatedAt: 0,
  dismissedAt: null,
  ...settings,
});

const refusal = (action: GroupAction, standing: Standing, g: Group): string => {
  try {
    assertCan(action, standing, g);
    return 'allowed';
  } catch (e) {
    if (isParleyError(e)) return e.code;
    throw e;
  }
};

test('deny by default: outsiders and the blocked may only apply (outsiders), nothing else', () => {
  const g = group();
  for (const action of Object.values(GroupAction)) {
    assert.equal(can(action, 'blocked', g), false, action);
    assert.equal(can(action, 'outsider', g), action === 'apply', action);
  }
  assert.equal(refusal(GroupAction.view, 'outsider', g), 'not_group_member');
  assert.equal(refusal(GroupAction.apply, 'blocked', g), 'blocked_from_group');
});

test('the owner-only actions: dismiss, transfer, manage admins, bind a business key', () => {
  const g = group();
  for (const action of [GroupAction.dismiss, GroupAction.transfer, GroupAction.manageAdmins, GroupAction.bindBusiness]) {
    assert.deepEqual([can(action, 'owner', g), can(action, 'app_admin', g), can(action, 'admin', g), can(action, 'member', g)], [true, true, false, false], action);
    assert.equal(refusal(action, 'admin', g), 'group_owner_required');
    assert.equal(refusal(action, 'member', g), 'group_owner_required');
  }
});

test('staff actions refuse members with group_admin_required', () => {
  const g = group();
  for (const action of [GroupAction.kick, GroupAction.mute, GroupAction.muteAll, GroupAction.block, GroupAction.handleApplications, GroupAction.updateSettings]) {
    assert.deepEqual([can(action, 'owner', g), can(action, 'admin', g), can(action, 'app_admin', g)], [true, true, true], action);
    assert.equal(refusal(action, 'member', g), 'group_admin_required', action);
  }
});

test('memberModify opens editing info and announcements to members', () => {
  assert.equal(refusal(GroupAction.updateInfo, 'member', group()), 'modify_not_allowed');
  assert.equal(refusal(GroupAction.postAnnouncement, 'member', group()), 'modify_not_allowed');
  assert.equal(can(GroupAction.updateInfo, 'member', group({ memberModify: true })), true);
  assert.equal(can(GroupAction.updateSettings, 'member', group({ memberModify: true })), false, 'settings stay with the staff');
});

test('the invite policy: who adds directly, who invites, who signs QR codes, and the refusal under members_approval', () => {
  const members = group({ invitePolicy: 'members' });
  const admins = group({ invitePolicy: 'admins' });
  const approval = group({ invitePolicy: 'members_approval' });
  assert.deepEqual([can(GroupAction.addMembers, 'member', members), can(GroupAction.invite, 'member', members), can(GroupAction.signQrCode, 'member', members)], [true, true, true]);
  assert.deepEqual([can(GroupAction.addMembers, 'member', admins), can(GroupAction.invite, 'member', admins), can(GroupAction.signQrCode, 'member', admins)], [false, false, false]);
  // Under approval a member invites (the invitation becomes an application) but cannot add directly.
  assert.deepEqual([can(GroupAction.addMembers, 'member', approval), can(GroupAction.invite, 'member', approval)], [false, true]);
  assert.equal(refusal(GroupAction.addMembers, 'member', admins), 'invite_not_allowed');
  assert.equal(refusal(GroupAction.addMembers, 'member', approval), 'invite_needs_approval');
  for (const g of [members, admins, approval]) assert.equal(can(GroupAction.addMembers, 'admin', g), true);
});

test('leaving: members may; admins as adminsMayLeave says; the owner never; members cannot apply again', () => {
  assert.equal(can(GroupAction.leave, 'member', group()), true);
  assert.equal(can(GroupAction.leave, 'admin', group()), true);
  assert.equal(refusal(GroupAction.leave, 'admin', group({ adminsMayLeave: false })), 'admin_cannot_leave');
  assert.equal(refusal(GroupAction.leave, 'owner', group()), 'owner_cannot_leave');
  assert.equal(refusal(GroupAction.leave, 'app_admin', group()), 'forbidden');
  for (const s of ['member', 'admin', 'owner'] as const) assert.equal(refusal(GroupAction.apply, s, group()), 'already_group_member');
});

test('mayActOn: the owner on admins and members, admins on members only, nobody on the owner', () => {
  const table = (['owner', 'app_admin', 'admin', 'member', 'outsider'] as const).map((actor) => (['owner', 'admin', 'member'] as const).map((target) => mayActOn(actor, target)));
  assert.deepEqual(table, [
    [false, true, true],
    [false, true, true],
    [false, false, true],
    [false, false, false],
    [false, false, false],
  ]);
});
