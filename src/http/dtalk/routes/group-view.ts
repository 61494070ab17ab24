// Core groups in dtalk's shapes (the dtalk app API document GroupInfo and
// GroupMember): roles 0 member / 1 admin / 2 owner, status 0/1/2, joinType
// from the invite policy, muteType from the group-wide mute, friendType
// from allowFriending, mute deadlines in ms with 9223372036854775807 for
// ever (written as raw digits).

import type { Group, Member } from '../../../core/groups/model.ts';
import { MUTE_FOREVER } from '../../../core/groups/mute.ts';
import type { GroupRole } from '../../../core/groups/gate.ts';
import { parseId } from '../../../core/ids.ts';
import { fail } from '../../../core/errors.ts';
import type { Int64 } from '../proto/codec.ts';

export const DTALK_FOREVER = 9223372036854775807n;

export const memberType: Record<GroupRole, number> = { member: 0, admin: 1, owner: 2 };
export const JOIN_TYPES = ['members', 'admins', 'members_approval'] as const;

const STATUS = { active: 0, suspended: 1, dismissed: 2 } as const;
const GROUP_TYPE: Record<string, number> = { enterprise: 1, department: 2 };

/** A member's mute deadline as dtalk writes it: 0 when not muted, the int64 maximum for ever. */
export function muteTimeOf(until: number | null, now: number): Int64 {
  if (until === null || until <= now) return 0;
  return until >= MUTE_FOREVER ? DTALK_FOREVER : until;
}

export interface GroupMemberView {
  memberId: string;
  memberName: string;
  memberType: number;
  memberMuteTime: Int64;
}

export function memberView(m: Member, address: string, now: number): GroupMemberView {
  return { memberId: address, memberName: m.displayName, memberType: memberType[m.role], memberMuteTime: muteTimeOf(m.mutedUntil, now) };
}

/** Owner first, then admins, then members; each by join time (the original's order). */
export function byRank(a: Member, b: Member): number {
  return memberType[b.role] - memberType[a.role] || a.joinedAt - b.joinedAt || a.userId - b.userId;
}

export interface GroupCounts {
  muteNum: number;
  adminNum: number;
}

/** GroupInfo; `key` only when the caller may see it (members). */
export function groupView(g: Omit<Group, 'cryptoKey' | 'ext'> & { cryptoKey?: string }, now: number, counts: GroupCounts, owner: GroupMemberView | null, person: GroupMemberView | null) {
  return {
    id: g.id,
    idStr: String(g.id),
    markId: g.markId,
    name: g.name,
    publicName: g.publicName,
    avatar: g.avatar,
    introduce: g.description,
    owner,
    person,
    memberNum: g.memberCount,
    maximum: g.capacity,
    status: STATUS[g.status],
    createTime: g.createdAt,
    joinType: Math.max(0, JOIN_TYPES.indexOf(g.invitePolicy as (typeof JOIN_TYPES)[number])),
    muteType: g.muteAllUntil !== null && g.muteAllUntil > now ? 1 : 0,
    friendType: g.allowFriending ? 0 : 1,
    muteNum: counts.muteNum,
    adminNum: counts.adminNum,
    key: g.cryptoKey ?? '',
    groupType: GROUP_TYPE[g.kind] ?? 0,
  };
}

/** The group a request names: `idStr` when it parses as an int64, else `id` (the original's rule). */
export function groupIdOf(body: { id: Int64; idStr: string }): number {
  const fromStr = /^-?[0-9]{1,19}$/.test(body.idStr) ? body.idStr : undefined;
  const id = parseId(fromStr ?? String(body.id));
  if (id === undefined) throw fail('group_not_found', `group ${fromStr ?? String(body.id)} does not exist`);
  return id;
}
