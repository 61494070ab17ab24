// Broadcast and slow mode over a member's standing (gate.ts): the rules the
// store-backed gate and the cached gate share, so both answer alike.

import { fail } from '../errors.ts';
import type { GroupGate, GroupRole, SendStanding } from './gate.ts';

const isStaff = (role: GroupRole) => role === 'owner' || role === 'admin';

/** Under broadcast only the owner and admins post. */
export function assertMayPost(s: SendStanding, groupId: number): GroupRole {
  if (s.broadcast && !isStaff(s.role)) throw fail('group_broadcast_only', 'only the owner and admins may post in this group', { groupId });
  return s.role;
}

/** Under broadcast members react and reply only when the group allows it. */
export function assertMayReact(s: SendStanding, groupId: number): GroupRole {
  if (s.broadcast && !s.membersMayReact && !isStaff(s.role)) throw fail('group_broadcast_only', 'only the owner and admins may react or reply in this group', { groupId });
  return s.role;
}

/** The slow-mode interval that applies to this member (0: none; staff are exempt). */
export const slowModeOf = (s: SendStanding): number => (isStaff(s.role) ? 0 : s.slowModeSeconds);

/** assertCanPost for any gate: standing, broadcast, then the slow-mode turn. */
export async function assertCanPost(gate: GroupGate, appId: number, groupId: number, userId: number): Promise<GroupRole> {
  const s = await gate.standing(appId, groupId, userId);
  const role = assertMayPost(s, groupId);
  const seconds = slowModeOf(s);
  if (seconds > 0) await gate.takeSlowModeTurn(appId, groupId, userId, seconds);
  return role;
}

/** The refusal of a member who posted too soon: when they may post again. */
export function slowModeRefusal(groupId: number, retryAfterMs: number) {
  const ms = Math.max(1, retryAfterMs);
  return fail('slow_mode', `slow mode: you may post again in ${Math.ceil(ms / 1000)} s`, { groupId, retryAfterMs: ms, retryAfterSeconds: Math.ceil(ms / 1000) });
}
