// Core's group model in Lanying's names and units (lanying-group-api.md,
// the original's source): type 0 private / 1 public / 2 chatroom, status 0/1,
// apply_approval 0/1/2, member `expired_time` in ms, group `ban_expire_time`
// in seconds with −1 for ever, per-user batch results.

import { allErrorCodes, type ErrorCode } from '../../core/errors.ts';
import { MUTE_FOREVER } from '../../core/groups/mute.ts';
import type { Announcement, Application, Block, Group, GroupFile, GroupKind, Invitation, JoinPolicy, Member, MemberResult } from '../../core/groups/model.ts';
import { lanyingCode } from './errors.ts';

const TYPE: Record<GroupKind, number> = { private: 0, public: 1, chatroom: 2, enterprise: 0, department: 0, project: 0, shareholder: 0 };
export const KIND_OF_TYPE: Record<number, GroupKind> = { 0: 'private', 1: 'public', 2: 'chatroom' };
export const APPROVAL: Record<JoinPolicy, number> = { open: 0, approval: 1, closed: 2 };
export const POLICY_OF_APPROVAL: Record<number, JoinPolicy> = { 0: 'open', 1: 'approval', 2: 'closed' };
const STATUS = { pending: 0, accepted: 1, declined: 2 } as const;

/** Group-wide mute in seconds: 0 when not muted (or expired), −1 for ever. */
export function banExpireTime(until: number | null, now: number): number {
  if (until === null || until <= now) return 0;
  if (until === MUTE_FOREVER) return -1;
  return Math.floor(until / 1000);
}

/** Member mute deadline in ms; 0 when not muted. */
export const expiredTime = (until: number | null, now: number): number => (until === null || until <= now ? 0 : until);

export function groupInfo(g: Group, me: Member | undefined, now: number) {
  return {
    apply_approval: APPROVAL[g.joinPolicy],
    avatar: g.avatar,
    ban_expire_time: banExpireTime(g.muteAllUntil, now),
    capacity: g.capacity,
    count: g.memberCount,
    created_at: g.createdAt,
    description: g.description,
    ext: g.ext,
    group_id: g.id,
    hide_member_info: g.hideMemberInfo,
    history_visible: g.historyVisible,
    member_invite: g.invitePolicy !== 'admins',
    member_modify: g.memberModify,
    msg_mute_mode: me?.messageMuteMode ?? 0,
    msg_push_mode: me?.pushMode ?? 0,
    name: g.name,
    owner_id: g.ownerId,
    read_ack: g.readReceipts,
    status: g.status === 'dismissed' ? 1 : 0,
    type: TYPE[g.kind],
    updated_at: g.updatedAt,
  };
}

export function groupBrief(g: Omit<Group, 'cryptoKey' | 'ext'>, me: Member | undefined) {
  return {
    apply_approval: APPROVAL[g.joinPolicy],
    avatar: g.avatar,
    capacity: g.capacity,
    count: g.memberCount,
    group_id: g.id,
    msg_mute_mode: me?.messageMuteMode ?? 0,
    msg_push_mode: me?.pushMode ?? 0,
    name: g.name,
    owner: g.ownerId,
    status: g.status === 'dismissed' ? 1 : 0,
    type: TYPE[g.kind],
  };
}

export const member = (m: Member, now: number) => ({ display_name: m.displayName, expired_time: expiredTime(m.mutedUntil, now), join_time: m.joinedAt, user_id: m.userId });

const codes = new Set<string>(allErrorCodes);

/** `{user_id, result, reason}`: reason is "" on success, else the Lanying code and core's reason. */
export function userResult(r: MemberResult) {
  if (r.ok) return { user_id: r.userId, result: 'success', reason: '' };
  const reason = r.reason ?? 'forbidden';
  return { user_id: r.userId, result: 'fail', reason: codes.has(reason) ? `${lanyingCode[reason as ErrorCode]}:${reason}` : reason };
}

export const announcement = (a: Announcement) => ({ author: a.authorId ?? 0, content: a.content, created_at: a.createdAt, group_id: a.groupId, id: a.id, title: a.title });

export const groupFile = (f: GroupFile) => ({
  created_at: f.createdAt,
  file_id: f.id,
  group_id: f.groupId,
  name: f.name,
  size: f.size,
  type: f.type,
  updated_at: f.updatedAt,
  uploader: f.uploaderId ?? 0,
  url: f.url,
});

export const application = (a: Application) => ({ applicant_id: a.applicantId, expired_time: a.expiresAt, group_id: a.groupId, reason: a.reason, status: STATUS[a.status] });

export const invitation = (i: Invitation) => ({
  expired_time: i.expiresAt,
  group_id: i.groupId,
  invitee_id: i.inviteeId,
  inviter_id: i.inviterId,
  reason: i.reason,
  status: STATUS[i.status],
  updated_at: new Date(i.updatedAt).toISOString(),
});

export const blocked = (b: Block) => ({ created_at: new Date(b.createdAt).toISOString(), group_id: b.groupId, user_id: b.userId });
