// Large groups keep quiet about people coming and going: above the group's
// noticeMemberThreshold, a join or a leave records no notice in the group's
// history and its live event reaches only the people concerned and the
// staff, instead of every member (docs/groups.md, "Large groups"). Kicks,
// mutes and role changes are moderation and stay announced (their notices
// list at most a few names, see group-notices.ts).

import type { Audience } from '../events.ts';
import type { Repositories } from '../ports.ts';
import type { Group } from './model.ts';

/** Whether joins and leaves are quiet in the group at its current size. */
export const isQuiet = (g: Group): boolean => g.memberCount > g.noticeMemberThreshold;

/**
 * The audience of a join or leave event: the whole group, or when quiet the
 * users concerned and the staff (owner and admins: an index range bounded by
 * the admin cap, whatever the group's size).
 */
export async function membershipAudience(tx: Repositories, group: Group, users: readonly number[]): Promise<{ audience: Audience; quiet: boolean }> {
  if (!isQuiet(group)) return { audience: { groupId: group.id, users: [...users] }, quiet: false };
  const staff = (await tx.groups.members.listByRole(group.id, ['owner', 'admin'])).map((m) => m.userId);
  return { audience: { users: [...new Set([...users, ...staff])] }, quiet: true };
}
