// Group events become notices in the group's conversation, so members who
// were offline learn of them through history and sync like any message (the
// live event itself is pushed by the gateway). Wired in core.ts. Which events
// become notices follows dtalk's notice types (name, join, leave, kick,
// dismiss, mute-all, member mute, owner) plus role changes.

import type { DomainEvent } from '../events.ts';
import type { NoticeInput } from './send.ts';

/** The group events recorded as notices, and the event fields each keeps. */
const NOTICED: Record<string, readonly string[]> = {
  'group.created': [],
  'group.updated': ['changed'],
  'group.dismissed': [],
  'group.owner_transferred': ['fromUserId', 'toUserId'],
  'group.members_joined': ['userIds', 'via', 'inviterId'],
  'group.member_left': ['userId'],
  'group.members_removed': ['userIds', 'reason'],
  'group.roles_changed': ['userIds', 'role'],
  'group.members_muted': ['userIds', 'mutedUntil'],
  'group.members_unmuted': ['userIds'],
};
// Group fields worth carrying when a group.updated names them.
const GROUP_FIELDS = ['name', 'publicName', 'avatar', 'muteAllUntil', 'joinPolicy'];

/** The notice for a group event, or undefined when the event is not recorded. */
export function noticeOf(event: DomainEvent): { appId: number; groupId: number; notice: NoticeInput } | undefined {
  const e = event as unknown as Record<string, unknown> & { type: string; appId: number };
  const keep = NOTICED[e.type];
  if (!keep || typeof e.groupId !== 'number') return undefined;
  const data: Record<string, unknown> = { actorId: e.actorId ?? null };
  for (const k of keep) if (e[k] !== undefined) data[k] = e[k];
  if (e.type === 'group.updated' && Array.isArray(e.changed) && typeof e.group === 'object' && e.group !== null) {
    const g = e.group as Record<string, unknown>;
    for (const f of GROUP_FIELDS) if ((e.changed as unknown[]).includes(f) && g[f] !== undefined) data[f] = g[f];
  }
  return { appId: e.appId, groupId: e.groupId, notice: { kind: e.type, data } };
}
