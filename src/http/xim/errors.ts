// xim's error codes: the Medlinker xcode/ecode registry (the original's source). One
// mapping from core's codes; the Record type makes it complete.

import type { ErrorCode } from '../../core/errors.ts';

export const XimCode = {
  ok: 0,
  /** 参数错误 / 请求参数错误: the request does not bind or validate. */
  badRequest: 1001,
  /** 通用错误: a business rule refused the change. */
  refused: 3,
  unauthorized: 101,
  sessionExpired: 102,
  forbidden: 103,
  internal: 1003,
  /** 无相关记录 */
  noRecord: 2003,
} as const;

const C = XimCode;

export const ximCode: Record<ErrorCode, number> = {
  invalid_argument: C.badRequest,
  payload_too_large: C.badRequest,
  empty_file: C.badRequest,
  unauthenticated: C.unauthorized,
  token_expired: C.sessionExpired,
  token_revoked: C.unauthorized,
  invalid_credentials: C.unauthorized,
  rate_limited: C.refused,
  forbidden: C.forbidden,
  admin_required: C.forbidden,
  not_found: C.noRecord,
  app_not_found: C.noRecord,
  user_not_found: C.noRecord,
  handle_taken: C.refused,
  conflict: C.refused,
  group_not_found: C.noRecord,
  group_dismissed: C.refused,
  group_full: C.refused,
  not_group_member: C.forbidden,
  already_group_member: C.refused,
  group_admin_required: C.forbidden,
  group_owner_required: C.forbidden,
  owner_cannot_leave: C.refused,
  admin_cannot_leave: C.refused,
  blocked_from_group: C.forbidden,
  member_muted: C.forbidden,
  group_muted: C.forbidden,
  cannot_act_on_self: C.refused,
  cannot_act_on_higher_role: C.forbidden,
  too_many_admins: C.refused,
  join_refused: C.refused,
  invite_not_allowed: C.forbidden,
  invite_needs_approval: C.forbidden,
  modify_not_allowed: C.forbidden,
  application_not_found: C.noRecord,
  application_handled: C.refused,
  application_expired: C.refused,
  invitation_not_found: C.noRecord,
  invitation_handled: C.refused,
  invitation_expired: C.refused,
  qr_code_invalid: C.badRequest,
  qr_code_expired: C.refused,
  announcement_not_found: C.noRecord,
  group_file_not_found: C.noRecord,
  message_not_found: C.noRecord,
  revoke_window_passed: C.refused,
  object_not_found: C.noRecord,
  object_too_large: C.badRequest,
  part_too_small: C.badRequest,
  invalid_key: C.badRequest,
  upload_not_found: C.noRecord,
  call_not_found: C.noRecord,
  call_expired: C.refused,
  call_finished: C.refused,
  not_call_party: C.forbidden,
  media_not_configured: C.internal,
  unsupported: C.refused,
  group_suspended: C.refused,
  cannot_mute_staff: C.forbidden,
  transfer_target_not_member: C.refused,
  group_broadcast_only: C.forbidden,
  slow_mode: C.refused,
};

/** The message of each code, as the registry names it (sent in `message` and `errmsg` when core gives none). */
export const ximCodeText: Record<number, string> = {
  0: 'ok',
  3: '通用错误',
  101: '未登录/请求未授权',
  102: 'SESSION已过期',
  103: '无权限',
  1001: '请求参数错误',
  1003: '内部服务错误',
  2003: '无相关记录',
};
