// The one permission table of groups: every action, who may do it, and which
// group setting opens it to ordinary members. Checked first by every
// operation; anything not listed here is denied.
//
// Standing: the caller's relation to the group. An app-admin credential
// (`app_admin`) acts with the owner's rights, except that it is nobody's
// member (it cannot leave, apply or be muted).
//
// Acting on other members (kick, block, mute, admin changes, display names),
// see `mayActOn`:
//   - the owner may act on admins and members;
//   - an admin may act on ordinary members only: never on the owner or on
//     another admin (lanying/legacy: "cannot kick the owner or admins");
//   - the app admin may act on admins and members, never on the owner
//     (ownership moves only by transfer);
//   - nobody acts on themselves through these actions (cannot_act_on_self):
//     leaving is its own action;
//   - owners and admins cannot be muted at all (dtalk -10027), whoever asks.
// The owner cannot leave: transfer first (owner_cannot_leave). Admins may
// leave unless the group's adminsMayLeave setting is off (legacy's "admins
// may not quit": admin_cannot_leave).

import { fail, type ErrorCode } from '../errors.ts';
import type { Group, GroupRole } from './model.ts';

export type Standing = GroupRole | 'app_admin' | 'outsider' | 'blocked';

export const GroupAction = {
  view: 'view',
  viewMembers: 'view_members',
  updateInfo: 'update_info',
  updateSettings: 'update_settings',
  dismiss: 'dismiss',
  transfer: 'transfer',
  manageAdmins: 'manage_admins',
  addMembers: 'add_members',
  invite: 'invite',
  kick: 'kick',
  mute: 'mute',
  muteAll: 'mute_all',
  block: 'block',
  viewBlocked: 'view_blocked',
  handleApplications: 'handle_applications',
  apply: 'apply',
  leave: 'leave',
  signQrCode: 'sign_qr_code',
  editOwnProfile: 'edit_own_profile',
  editOthersName: 'edit_others_name',
  postAnnouncement: 'post_announcement',
  readContent: 'read_content',
  uploadFile: 'upload_file',
  manageFiles: 'manage_files',
  bindBusiness: 'bind_business',
} as const;
export type GroupAction = (typeof GroupAction)[keyof typeof GroupAction];

interface Rule {
  /** Standings always allowed. */
  allow: readonly Standing[];
  /** Opens the action to ordinary members when the group's settings say so. */
  members?: (g: Group) => boolean;
  /** The error an ordinary member gets when `members` says no (it may depend on the group's settings). */
  memberDenied?: ErrorCode | ((g: Group) => ErrorCode);
  /** Opens the action to admins when the group's settings say so (leaving). */
  admins?: (g: Group) => boolean;
  adminDenied?: ErrorCode;
}

const STAFF = ['owner', 'admin', 'app_admin'] as const;
const EVERY_MEMBER = ['owner', 'admin', 'member', 'app_admin'] as const;
const OWNER = ['owner', 'app_admin'] as const;

const TABLE: Record<GroupAction, Rule> = {
  view: { allow: EVERY_MEMBER },
  view_members: { allow: EVERY_MEMBER },
  update_info: { allow: STAFF, members: (g) => g.memberModify, memberDenied: 'modify_not_allowed' },
  update_settings: { allow: STAFF },
  dismiss: { allow: OWNER },
  transfer: { allow: OWNER },
  manage_admins: { allow: OWNER },
  // Adding directly: members only when they may invite without approval;
  // under members_approval a direct add has no approval step to go through.
  add_members: { allow: STAFF, members: (g) => g.invitePolicy === 'members', memberDenied: (g) => (g.invitePolicy === 'members_approval' ? 'invite_needs_approval' : 'invite_not_allowed') },
  // Inviting: under members_approval a member's invitation becomes an application.
  invite: { allow: STAFF, members: (g) => g.invitePolicy !== 'admins', memberDenied: 'invite_not_allowed' },
  kick: { allow: STAFF },
  mute: { allow: STAFF },
  mute_all: { allow: STAFF },
  block: { allow: STAFF },
  view_blocked: { allow: STAFF },
  handle_applications: { allow: STAFF },
  apply: { allow: ['outsider'] },
  leave: { allow: ['member'], admins: (g) => g.adminsMayLeave, adminDenied: 'admin_cannot_leave' },
  sign_qr_code: { allow: STAFF, members: (g) => g.invitePolicy !== 'admins', memberDenied: 'invite_not_allowed' },
  edit_own_profile: { allow: ['owner', 'admin', 'member'] },
  edit_others_name: { allow: STAFF },
  post_announcement: { allow: STAFF, members: (g) => g.memberModify, memberDenied: 'modify_not_allowed' },
  read_content: { allow: EVERY_MEMBER },
  upload_file: { allow: EVERY_MEMBER },
  // Renaming or deleting someone else's file; uploaders always manage their own.
  manage_files: { allow: STAFF },
  bind_business: { allow: OWNER },
};

export function can(action: GroupAction, standing: Standing, group: Group): boolean {
  const rule = TABLE[action];
  if (rule.allow.includes(standing)) return true;
  if (standing === 'admin' && rule.admins) return rule.admins(group);
  return standing === 'member' && rule.members !== undefined && rule.members(group);
}

/** Throws the most helpful refusal for `standing` when it may not do `action`. */
export function assertCan(action: GroupAction, standing: Standing, group: Group): void {
  if (can(action, standing, group)) return;
  const rule = TABLE[action];
  const id = group.id;
  switch (standing) {
    case 'blocked':
      throw fail('blocked_from_group', `you are blocked from group ${id}`);
    case 'outsider':
      throw fail('not_group_member', `you are not a member of group ${id}`);
    case 'member':
      if (rule.memberDenied) throw fail(typeof rule.memberDenied === 'function' ? rule.memberDenied(group) : rule.memberDenied, `the settings of group ${id} do not let members do this`);
      if (action === 'apply') throw fail('already_group_member', `you are already a member of group ${id}`);
      throw fail(rule.allow.includes('admin') ? 'group_admin_required' : 'group_owner_required', `this needs a higher role in group ${id}`);
    case 'admin':
      if (rule.adminDenied) throw fail(rule.adminDenied, `the settings of group ${id} do not let admins do this`);
      if (action === 'apply') throw fail('already_group_member', `you are already a member of group ${id}`);
      throw fail('group_owner_required', `only the owner of group ${id} may do this`);
    case 'owner':
      if (action === 'leave') throw fail('owner_cannot_leave', 'the owner must transfer the group before leaving');
      if (action === 'apply') throw fail('already_group_member', `you are already a member of group ${id}`);
      throw fail('forbidden', 'not allowed');
    case 'app_admin':
      throw fail('forbidden', 'an app-admin credential cannot do this; act as a user');
  }
}

const RANK: Record<GroupRole, number> = { owner: 2, admin: 1, member: 0 };

/** Whether `actor` may kick, block or re-role a member holding `target` (see the rules above). */
export function mayActOn(actor: Standing, target: GroupRole): boolean {
  if (target === 'owner') return false;
  if (actor === 'owner' || actor === 'app_admin') return true;
  if (actor === 'admin') return RANK[target] < RANK.admin;
  return false;
}
