// The error codes a group operation can answer, for the routes' error
// declarations: the group must exist (and, for a change, be neither
// dismissed nor suspended), and the caller's standing must allow the action
// by core's permission table. test/http/native/group-refusals.test.ts checks
// these sets against core's assertCan for every standing and group setting,
// so they cannot fall behind the table.

import type { ErrorCode } from '../../../core/errors.ts';
import type { GroupAction } from '../../../core/groups/permissions.ts';

const EVERY_MEMBER: ErrorCode[] = ['blocked_from_group', 'not_group_member'];
const STAFF: ErrorCode[] = [...EVERY_MEMBER, 'group_admin_required'];
const OWNER: ErrorCode[] = [...EVERY_MEMBER, 'group_owner_required'];

/** What assertCan may refuse for each action. */
export const actionRefusals: Record<GroupAction, readonly ErrorCode[]> = {
  view: EVERY_MEMBER,
  view_members: EVERY_MEMBER,
  read_content: EVERY_MEMBER,
  upload_file: EVERY_MEMBER,
  // Where a setting opens an action to members, a member refused is told the setting, not the role.
  update_info: [...EVERY_MEMBER, 'modify_not_allowed'],
  post_announcement: [...EVERY_MEMBER, 'modify_not_allowed'],
  update_settings: STAFF,
  kick: STAFF,
  mute: STAFF,
  mute_all: STAFF,
  block: STAFF,
  view_blocked: STAFF,
  handle_applications: STAFF,
  manage_files: STAFF,
  edit_others_name: STAFF,
  add_members: [...EVERY_MEMBER, 'invite_needs_approval', 'invite_not_allowed'],
  invite: [...EVERY_MEMBER, 'invite_not_allowed'],
  sign_qr_code: [...EVERY_MEMBER, 'invite_not_allowed'],
  dismiss: OWNER,
  transfer: OWNER,
  manage_admins: OWNER,
  bind_business: OWNER,
  apply: ['blocked_from_group', 'already_group_member', 'forbidden'],
  leave: [...EVERY_MEMBER, 'admin_cannot_leave', 'owner_cannot_leave', 'forbidden'],
  edit_own_profile: [...EVERY_MEMBER, 'forbidden'],
};

/**
 * The codes of an operation on one group: not found, the action's refusals,
 * and (unless it reads, which dismissed groups allow) dismissed or suspended.
 */
export function groupRefusals(action: GroupAction, opts: { reads?: boolean } = {}): ErrorCode[] {
  return ['group_not_found', ...(opts.reads ? [] : (['group_dismissed', 'group_suspended'] as const)), ...actionRefusals[action]];
}
