// Limits on group fields, checked in core so every dialect gets the same answer.
import { fail } from '../errors.ts';
import { checkLine, checkParagraphs } from '../text.ts';
import type { GroupLimits } from './context.ts';
import { GroupKind, InvitePolicy, JoinPolicy, type GroupInfo, type GroupSettings } from './model.ts';

const MAX = { name: 256, publicName: 256, avatar: 2048, description: 4096, notice: 4096, ext: 8192 } as const;
const MAX_ATTRS_BYTES = 16 * 1024;
/** A day: longer intervals are a mute, not a slow mode. */
export const MAX_SLOW_MODE_SECONDS = 86_400;
/** Large-group notices start above this many members unless the owner sets otherwise. */
export const DEFAULT_NOTICE_MEMBER_THRESHOLD = 500;

export function checkInfo(p: Partial<GroupInfo>): void {
  for (const [field, max] of Object.entries(MAX) as [keyof typeof MAX, number][]) {
    const v = p[field];
    if (v === undefined) continue;
    if (typeof v !== 'string') throw fail('invalid_argument', `${field} must be text`);
    if (v.length > max) throw fail('invalid_argument', `${field} is longer than ${max} characters`);
    if (field === 'name' || field === 'publicName' || field === 'avatar') checkLine(v, field);
    else checkParagraphs(v, field);
  }
  if (p.kind !== undefined && !Object.values(GroupKind).includes(p.kind)) throw fail('invalid_argument', `kind must be one of ${Object.values(GroupKind).join(', ')}`);
  if (p.attrs !== undefined) {
    if (typeof p.attrs !== 'object' || p.attrs === null || Array.isArray(p.attrs)) throw fail('invalid_argument', 'attrs must be an object');
    if (Buffer.byteLength(JSON.stringify(p.attrs)) > MAX_ATTRS_BYTES) throw fail('invalid_argument', `attrs is larger than ${MAX_ATTRS_BYTES} bytes`);
  }
}

/** Checks a settings patch; with `memberCount` set, also completes it with defaults (creation). */
export function checkSettings(p: Partial<GroupSettings>, limits: GroupLimits, memberCount: number): GroupSettings {
  if (p.capacity !== undefined) {
    if (!Number.isSafeInteger(p.capacity) || p.capacity < 1 || p.capacity > limits.maxCapacity) {
      throw fail('invalid_argument', `capacity must be between 1 and ${limits.maxCapacity}`);
    }
    if (p.capacity < memberCount) throw fail('invalid_argument', `capacity ${p.capacity} is below the ${memberCount} current members`, { memberCount });
  }
  if (p.joinPolicy !== undefined && !Object.values(JoinPolicy).includes(p.joinPolicy)) throw fail('invalid_argument', `joinPolicy must be one of ${Object.values(JoinPolicy).join(', ')}`);
  if (p.invitePolicy !== undefined && !Object.values(InvitePolicy).includes(p.invitePolicy)) {
    throw fail('invalid_argument', `invitePolicy must be one of ${Object.values(InvitePolicy).join(', ')}`);
  }
  if (p.slowModeSeconds !== undefined && (!Number.isSafeInteger(p.slowModeSeconds) || p.slowModeSeconds < 0 || p.slowModeSeconds > MAX_SLOW_MODE_SECONDS)) {
    throw fail('invalid_argument', `slowModeSeconds must be between 0 and ${MAX_SLOW_MODE_SECONDS}`);
  }
  if (p.noticeMemberThreshold !== undefined && (!Number.isSafeInteger(p.noticeMemberThreshold) || p.noticeMemberThreshold < 0 || p.noticeMemberThreshold > limits.maxCapacity)) {
    throw fail('invalid_argument', `noticeMemberThreshold must be between 0 and ${limits.maxCapacity}`);
  }
  // Defaults follow lanying's documented creation defaults (apply_approval 1,
  // member_invite true, read_ack/history_visible/member_modify false) and
  // dtalk's friendType 0.
  return {
    capacity: p.capacity ?? limits.defaultCapacity,
    joinPolicy: p.joinPolicy ?? 'approval',
    invitePolicy: p.invitePolicy ?? 'members',
    memberModify: p.memberModify ?? false,
    readReceipts: p.readReceipts ?? false,
    historyVisible: p.historyVisible ?? false,
    allowFriending: p.allowFriending ?? true,
    isPublic: p.isPublic ?? false,
    adminsMayLeave: p.adminsMayLeave ?? true,
    hideMemberInfo: p.hideMemberInfo ?? false,
    broadcast: p.broadcast ?? false,
    membersMayReact: p.membersMayReact ?? true,
    slowModeSeconds: p.slowModeSeconds ?? 0,
    noticeMemberThreshold: p.noticeMemberThreshold ?? DEFAULT_NOTICE_MEMBER_THRESHOLD,
  };
}
