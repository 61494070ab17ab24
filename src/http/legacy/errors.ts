// The legacy API documents no error codes: a failure is `success:false` with
// a reason in `info`. Each core code maps to the Chinese reason the app shows;
// the Record type makes the mapping complete. The core code also travels in
// `code` so a client (or an operator) can tell reasons apart without parsing text.

import type { ErrorCode, ParleyError } from '../../core/errors.ts';

export const legacyInfo: Record<ErrorCode, string> = {
  invalid_argument: '参数错误',
  payload_too_large: '请求内容过大',
  empty_file: '文件为空',
  unauthenticated: '未登录或登录已失效',
  token_expired: '登录已过期，请重新登录',
  token_revoked: '登录已失效，请重新登录',
  invalid_credentials: '用户名或密码错误',
  rate_limited: '操作过于频繁',
  forbidden: '无权限',
  admin_required: '无权限',
  not_found: '记录不存在',
  app_not_found: '应用不存在',
  user_not_found: '用户不存在',
  handle_taken: '用户已存在',
  conflict: '操作冲突',
  group_not_found: '群不存在',
  group_dismissed: '群已解散',
  group_full: '群人数已满',
  not_group_member: '您不是该群成员',
  already_group_member: '您已是该群成员',
  group_admin_required: '只有管理员可以操作',
  group_owner_required: '只有群主可以操作',
  owner_cannot_leave: '群主不允许退出群',
  admin_cannot_leave: '管理员不允许退出群',
  blocked_from_group: '您已被禁止加入该群',
  member_muted: '您已被禁言',
  group_muted: '全员禁言中',
  cannot_act_on_self: '不能对自己操作',
  cannot_act_on_higher_role: '不能踢出群主或管理员',
  too_many_admins: '管理员数量已达上限',
  join_refused: '该群不允许加入',
  invite_not_allowed: '无权邀请',
  invite_needs_approval: '邀请需要群主或管理员审核',
  modify_not_allowed: '只有管理员可以修改群资料',
  application_not_found: '入群申请不存在',
  application_handled: '入群申请已处理',
  application_expired: '入群申请已过期',
  invitation_not_found: '入群邀请不存在',
  invitation_handled: '入群邀请已处理',
  invitation_expired: '入群邀请已过期',
  qr_code_invalid: '二维码无效',
  qr_code_expired: '二维码已过期',
  announcement_not_found: '群公告不存在',
  group_file_not_found: '群文件不存在',
  message_not_found: '消息不存在',
  revoke_window_passed: '超过撤回时限',
  edit_window_passed: '超过编辑时限',
  too_many_reactions: '回应过多',
  too_many_pins: '置顶消息过多',
  message_refused: '消息未通过审核',
  object_not_found: '文件不存在',
  object_too_large: '文件过大',
  part_too_small: '文件分片过小',
  invalid_key: '文件名不合法',
  upload_not_found: '上传不存在',
  call_not_found: '通话不存在',
  call_expired: '通话已过期',
  call_finished: '通话已结束',
  not_call_party: '无权限',
  media_not_configured: '服务未配置',
  unsupported: '不支持的操作',
  group_suspended: '群已被封禁',
  cannot_mute_staff: '群主或管理员不能被禁言',
  transfer_target_not_member: '被转让人不是群成员',
  group_broadcast_only: '仅群主和管理员可发言',
  slow_mode: '发言太频繁，请稍后再试',
};

/** not_group_member about someone else (core names the user in `details.userId`): the target is not a member, not the caller. */
const TARGET_NOT_MEMBER = '该用户不是群成员';

/**
 * The reason shown in `info`: core's code in the app's words, said of the
 * right person (a kick of a non-member must not tell a member "您不是该群成员"),
 * and for a malformed request, what exactly was wrong.
 */
export function legacyReason(pe: ParleyError, callerId: number | undefined): string {
  if (pe.code === 'invalid_argument') return `${legacyInfo[pe.code]}: ${pe.message}`;
  const target = pe.details?.userId;
  if (pe.code === 'not_group_member' && typeof target === 'number' && target !== callerId) return TARGET_NOT_MEMBER;
  return legacyInfo[pe.code];
}
