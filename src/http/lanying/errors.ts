// Lanying's error codes (the original's source, quick-start appendix) and the one mapping
// from core's codes onto them. The Record type makes the mapping complete: a
// new core code does not compile until it is mapped here.

import type { ErrorCode } from '../../core/errors.ts';

export const LanyingCode = {
  ok: 200,
  /** What the web SDK treats as "token invalid or expired, log in again". */
  tokenExpired: 402,
  userNotFound: 10000,
  badRequest: 10002,
  tokenMissing: 10003,
  userExists: 10004,
  tokenInvalid: 10008,
  storage: 10009,
  noPermission: 10010,
  server: 20000,
  groupNotFound: 20001,
  notMember: 20002,
  ownerCannotLeave: 20004,
  transferTargetNotMember: 20005,
  groupFull: 20010,
  needsMember: 20011,
  needsAdmin: 20012,
  needsOwner: 20013,
  applicationGone: 20014,
  invitationGone: 20015,
  alreadyMember: 20017,
  blocked: 20018,
  announcementNotFound: 20020,
  fileNotFound: 20022,
  filePermission: 20023,
  qrInvalid: 20024,
  qrExpired: 20025,
  appNotFound: 40000,
} as const;

const C = LanyingCode;

export const lanyingCode: Record<ErrorCode, number> = {
  invalid_argument: C.badRequest,
  payload_too_large: C.badRequest,
  empty_file: C.badRequest,
  unauthenticated: C.tokenInvalid,
  token_expired: C.tokenExpired,
  token_revoked: C.tokenInvalid,
  // No "wrong password" code exists in the table; the original answers user-not-found.
  invalid_credentials: C.userNotFound,
  rate_limited: C.noPermission,
  forbidden: C.noPermission,
  admin_required: C.noPermission,
  not_found: C.badRequest,
  app_not_found: C.appNotFound,
  user_not_found: C.userNotFound,
  handle_taken: C.userExists,
  conflict: C.badRequest,
  group_not_found: C.groupNotFound,
  // A destroyed group (status 1) no longer exists for every write.
  group_dismissed: C.groupNotFound,
  group_full: C.groupFull,
  not_group_member: C.notMember,
  already_group_member: C.alreadyMember,
  group_admin_required: C.needsAdmin,
  group_owner_required: C.needsOwner,
  owner_cannot_leave: C.ownerCannotLeave,
  admin_cannot_leave: C.needsOwner,
  blocked_from_group: C.blocked,
  member_muted: C.needsAdmin,
  group_muted: C.needsAdmin,
  cannot_act_on_self: C.badRequest,
  cannot_act_on_higher_role: C.needsOwner,
  too_many_admins: C.groupFull,
  join_refused: C.noPermission,
  invite_not_allowed: C.needsAdmin,
  invite_needs_approval: C.needsAdmin,
  modify_not_allowed: C.needsAdmin,
  application_not_found: C.applicationGone,
  application_handled: C.applicationGone,
  application_expired: C.applicationGone,
  invitation_not_found: C.invitationGone,
  invitation_handled: C.invitationGone,
  invitation_expired: C.invitationGone,
  qr_code_invalid: C.qrInvalid,
  qr_code_expired: C.qrExpired,
  announcement_not_found: C.announcementNotFound,
  group_file_not_found: C.fileNotFound,
  message_not_found: C.badRequest,
  revoke_window_passed: C.noPermission,
  edit_window_passed: C.noPermission,
  too_many_reactions: C.noPermission,
  too_many_pins: C.noPermission,
  message_refused: C.noPermission,
  object_not_found: C.storage,
  object_too_large: C.storage,
  part_too_small: C.storage,
  invalid_key: C.storage,
  upload_not_found: C.storage,
  call_not_found: C.badRequest,
  call_expired: C.badRequest,
  call_finished: C.badRequest,
  not_call_party: C.noPermission,
  media_not_configured: C.storage,
  unsupported: C.badRequest,
  group_suspended: C.groupNotFound,
  cannot_mute_staff: C.needsOwner,
  transfer_target_not_member: C.transferTargetNotMember,
  group_broadcast_only: C.needsAdmin,
  slow_mode: C.noPermission,
};

/** A refusal decided by the dialect itself (its headers), already in Lanying's terms. */
export class LanyingReject extends Error {
  readonly code: number;
  constructor(code: number, message: string) {
    super(message);
    this.name = 'LanyingReject';
    this.code = code;
  }
}
