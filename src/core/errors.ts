// Errors are values with stable codes. Core throws ParleyError; every dialect
// maps each code into its own envelope exactly once (see each dialect's
// errors.ts, whose Record<ErrorCode, …> type makes the mapping complete).

export const ErrorCode = {
  // request shape
  invalidArgument: 'invalid_argument',
  payloadTooLarge: 'payload_too_large',
  // identity
  unauthenticated: 'unauthenticated',
  tokenExpired: 'token_expired',
  tokenRevoked: 'token_revoked',
  invalidCredentials: 'invalid_credentials',
  rateLimited: 'rate_limited',
  forbidden: 'forbidden',
  adminRequired: 'admin_required',
  // lookups
  notFound: 'not_found',
  appNotFound: 'app_not_found',
  userNotFound: 'user_not_found',
  handleTaken: 'handle_taken',
  conflict: 'conflict',
  // groups
  groupNotFound: 'group_not_found',
  groupDismissed: 'group_dismissed',
  groupFull: 'group_full',
  notGroupMember: 'not_group_member',
  alreadyGroupMember: 'already_group_member',
  groupAdminRequired: 'group_admin_required',
  groupOwnerRequired: 'group_owner_required',
  ownerCannotLeave: 'owner_cannot_leave',
  adminCannotLeave: 'admin_cannot_leave',
  blockedFromGroup: 'blocked_from_group',
  memberMuted: 'member_muted',
  groupMuted: 'group_muted',
  cannotActOnSelf: 'cannot_act_on_self',
  cannotActOnHigherRole: 'cannot_act_on_higher_role',
  tooManyAdmins: 'too_many_admins',
  joinRefused: 'join_refused',
  inviteNotAllowed: 'invite_not_allowed',
  /** A member's invitation would need the staff's approval (invitePolicy members_approval) on a path that has no approval step. */
  inviteNeedsApproval: 'invite_needs_approval',
  modifyNotAllowed: 'modify_not_allowed',
  applicationNotFound: 'application_not_found',
  applicationHandled: 'application_handled',
  applicationExpired: 'application_expired',
  invitationNotFound: 'invitation_not_found',
  invitationHandled: 'invitation_handled',
  invitationExpired: 'invitation_expired',
  qrCodeInvalid: 'qr_code_invalid',
  qrCodeExpired: 'qr_code_expired',
  announcementNotFound: 'announcement_not_found',
  groupFileNotFound: 'group_file_not_found',
  groupSuspended: 'group_suspended',
  cannotMuteStaff: 'cannot_mute_staff',
  transferTargetNotMember: 'transfer_target_not_member',
  /** Broadcast mode: only the owner and admins post (react and reply per membersMayReact). */
  groupBroadcastOnly: 'group_broadcast_only',
  /** Slow mode: the member posted less than slowModeSeconds ago; details.retryAfterMs says when they may post again. */
  slowMode: 'slow_mode',
  // messages
  messageNotFound: 'message_not_found',
  revokeWindowPassed: 'revoke_window_passed',
  editWindowPassed: 'edit_window_passed',
  /** A reaction over the per-message or per-user limit (details.scope). */
  tooManyReactions: 'too_many_reactions',
  tooManyPins: 'too_many_pins',
  /** The app's moderation hook refused the message (details.reason: its reason, or null). */
  messageRefused: 'message_refused',
  // storage
  objectNotFound: 'object_not_found',
  objectTooLarge: 'object_too_large',
  /** The body was empty and the caller asked for no empty files (allowEmpty false). */
  emptyFile: 'empty_file',
  partTooSmall: 'part_too_small',
  invalidKey: 'invalid_key',
  uploadNotFound: 'upload_not_found',
  // calls
  callNotFound: 'call_not_found',
  callExpired: 'call_expired',
  callFinished: 'call_finished',
  notCallParty: 'not_call_party',
  mediaNotConfigured: 'media_not_configured',
  unsupported: 'unsupported',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const allErrorCodes: readonly ErrorCode[] = Object.values(ErrorCode);

export class ParleyError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'ParleyError';
    this.code = code;
    this.details = details;
  }
}

export function isParleyError(e: unknown): e is ParleyError {
  return e instanceof ParleyError;
}

/** Shorthand used across core: `throw fail('group_not_found', 'group 7 does not exist')`. */
export function fail(code: ErrorCode, message: string, details?: Record<string, unknown>): ParleyError {
  return new ParleyError(code, message, details);
}
