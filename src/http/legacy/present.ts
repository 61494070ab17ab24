// Core's groups and users in the legacy document's shapes: ids and codes as
// quoted strings (as the document's examples show them, except `userId`,
// which the example leaves unquoted), group type 1 project / 2 shareholder,
// user_type 1 owner / 2 admin / 3 member, profile fields from the user's
// free-form profile.

import type { Group, GroupRole, Member } from '../../core/groups/model.ts';
import type { User } from '../../core/model.ts';

const USER_TYPE: Record<GroupRole, string> = { owner: '1', admin: '2', member: '3' };

/** Kinds the legacy app knows; any other group shows as a project group (its default kind). */
export const legacyType = (g: Group): string => (g.kind === 'shareholder' ? '2' : '1');

const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : '');

export function legacyGroup(g: Group) {
  return {
    groupId: String(g.id),
    // The crowdfunding project a group belongs to; groups made elsewhere show their own name.
    projectName: text(g.attrs.projectName) || g.name,
    groupName: g.name,
    type: legacyType(g),
    introduction: g.description,
    notice: g.notice,
    creator_id: String(g.creatorId),
  };
}

const PROFILE_FIELDS = ['sex', 'age', 'phoneNumber', 'country', 'province', 'city', 'district', 'street', 'company', 'occupation', 'role', 'degrees', 'school'] as const;

export function legacyMember(m: Member, u: User | undefined) {
  const p = u?.profile ?? {};
  const fields = Object.fromEntries(PROFILE_FIELDS.map((k) => [k, text(p[k])])) as Record<(typeof PROFILE_FIELDS)[number], string>;
  const nickName = u?.displayName ?? '';
  return {
    userId: m.userId,
    ...fields,
    nickName,
    userPhoto: u?.avatar ?? '',
    signature: text(p.signature),
    user_type: USER_TYPE[m.role],
    show_name: m.displayName || nickName,
  };
}
