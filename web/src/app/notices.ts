// Group notices (messages of type `notice` that the server writes for group
// events: body {kind, data}) in words.

import type { Message } from '@parley/sdk';

type NameOf = (userId: number) => string;

// A notice names at most a few users; `more` counts the rest (large batches).
const list = (ids: unknown, nameOf: NameOf, more: unknown = 0): string => {
  const names = Array.isArray(ids) ? ids.filter((x): x is number => typeof x === 'number').map(nameOf) : [];
  if (typeof more === 'number' && more > 0) return `${names.join(', ')} and ${more.toLocaleString('en')} ${more === 1 ? 'other' : 'others'}`;
  return names.length <= 2 ? names.join(' and ') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
};

export function noticeText(m: Message, nameOf: NameOf): string {
  if (typeof m.body.text === 'string' && m.body.text) return m.body.text;
  const d = (m.body.data ?? {}) as Record<string, unknown>;
  const actor = typeof d.actorId === 'number' ? nameOf(d.actorId) : 'An admin';
  const changed = Array.isArray(d.changed) ? (d.changed as string[]) : [];
  switch (m.body.kind) {
    case 'group.created':
      return `${actor} created the group`;
    case 'group.updated':
      if (changed.includes('name') && typeof d.name === 'string') return `${actor} renamed the group to “${d.name}”`;
      if (changed.includes('muteAllUntil')) return d.muteAllUntil ? `${actor} muted everyone except admins` : `${actor} lifted the mute on everyone`;
      if (changed.includes('notice')) return `${actor} posted an announcement`;
      if (changed.includes('joinPolicy')) return `${actor} changed who can join`;
      if (changed.includes('readReceipts')) return `${actor} changed read receipts`;
      return `${actor} updated the group`;
    case 'group.dismissed':
      return `${actor} dismissed the group`;
    case 'group.owner_transferred':
      return `${typeof d.fromUserId === 'number' ? nameOf(d.fromUserId) : actor} made ${typeof d.toUserId === 'number' ? nameOf(d.toUserId) : 'someone'} the owner`;
    case 'group.members_joined':
      return `${list(d.userIds, nameOf, d.more)} joined`;
    case 'group.member_left':
      return `${typeof d.userId === 'number' ? nameOf(d.userId) : 'Someone'} left`;
    case 'group.members_removed':
      return `${actor} removed ${list(d.userIds, nameOf, d.more)}`;
    case 'group.roles_changed':
      return d.role === 'admin' ? `${actor} made ${list(d.userIds, nameOf, d.more)} admin` : `${list(d.userIds, nameOf, d.more)} is no longer an admin`;
    case 'group.members_muted':
      return `${actor} muted ${list(d.userIds, nameOf, d.more)}`;
    case 'group.members_unmuted':
      return `${actor} unmuted ${list(d.userIds, nameOf, d.more)}`;
    case 'message.pinned':
      return `${actor} pinned a message`;
    case 'message.unpinned':
      return `${actor} unpinned a message`;
    default:
      return 'The group was updated';
  }
}

/** The user ids a notice names (so their names can be fetched). */
export function noticeUsers(m: Message): number[] {
  const d = (m.body.data ?? {}) as Record<string, unknown>;
  const ids = [d.actorId, d.userId, d.fromUserId, d.toUserId, ...(Array.isArray(d.userIds) ? d.userIds : [])];
  return ids.filter((x): x is number => typeof x === 'number');
}
