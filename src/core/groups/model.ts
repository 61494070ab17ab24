// The group model every dialect translates onto. Where the four specs name the
// same idea differently, core keeps one name and the dialects map:
//   kind         lanying type 0 private / 1 public / 2 chatroom; dtalk groupType
//                0 normal (= private) / 1 enterprise / 2 department; legacy
//                type 1 project / 2 shareholder.
//   status       dtalk 0 normal / 1 blocked (= suspended) / 2 disbanded;
//                lanying 0 normal / 1 destroyed (= dismissed).
//   joinPolicy   lanying apply_approval 0 open / 1 approval / 2 closed.
//   invitePolicy lanying member_invite true = members / false = admins; dtalk
//                joinType 0 members / 1 admins / 2 members_approval (a
//                member's invitation needs an admin's approval).
//   description  lanying description, dtalk introduce, legacy introduction,
//                xim content; notice = legacy notice / xim broadcast.
//   publicName   dtalk publicName (name is what members see, possibly encrypted).
//   markId       dtalk markId (8 digits, unique per app); cryptoKey dtalk key.
//   business     xim (businessType, businessId) binding, unique per app.
//   role         owner / admin / member = dtalk memberType 2/1/0, legacy
//                user_type 1/2/3.

import type { GroupRole } from './gate.ts';

export type { GroupRole };

export const GroupKind = {
  private: 'private',
  public: 'public',
  chatroom: 'chatroom',
  enterprise: 'enterprise',
  department: 'department',
  project: 'project',
  shareholder: 'shareholder',
} as const;
export type GroupKind = (typeof GroupKind)[keyof typeof GroupKind];

export const GroupStatus = { active: 'active', suspended: 'suspended', dismissed: 'dismissed' } as const;
export type GroupStatus = (typeof GroupStatus)[keyof typeof GroupStatus];

export const JoinPolicy = { open: 'open', approval: 'approval', closed: 'closed' } as const;
export type JoinPolicy = (typeof JoinPolicy)[keyof typeof JoinPolicy];

export const InvitePolicy = { members: 'members', admins: 'admins', membersApproval: 'members_approval' } as const;
export type InvitePolicy = (typeof InvitePolicy)[keyof typeof InvitePolicy];

/** lanying msg_mute_mode: 0 none, 1 no local notification, 2 do not receive. */
export const MessageMuteMode = { none: 0, silent: 1, block: 2 } as const;
export type MessageMuteMode = 0 | 1 | 2;
/** lanying msg_push_mode: 0 all, 1 none, 2 admins or @me, 3 admins only, 4 @me only. */
export type PushMode = 0 | 1 | 2 | 3 | 4;

export type Attrs = Record<string, unknown>;

export interface GroupInfo {
  name: string;
  publicName: string;
  avatar: string;
  description: string;
  notice: string;
  ext: string;
  attrs: Attrs;
  kind: GroupKind;
}

export interface GroupSettings {
  capacity: number;
  joinPolicy: JoinPolicy;
  invitePolicy: InvitePolicy;
  /** Ordinary members may edit name, avatar, description, notice, ext. */
  memberModify: boolean;
  readReceipts: boolean;
  /** New members see messages sent before they joined. */
  historyVisible: boolean;
  /** Members may add each other as friends (dtalk friendType 0). */
  allowFriending: boolean;
  /** Listed in public directories and visible to non-members (xim isPublic). */
  isPublic: boolean;
  /** Admins may leave without being demoted first (legacy: "admins may not quit" = false). */
  adminsMayLeave: boolean;
  /** lanying hide_member_info (a later lanying setting): stored and shown; a display rule of lanying's web client, not a server rule (src/http/lanying/README.md). */
  hideMemberInfo: boolean;
  /** Only the owner and admins may post; members read (docs/groups.md, "Broadcast and slow mode"). */
  broadcast: boolean;
  /** Under broadcast, members may still react and reply (GroupGate.assertCanReact). */
  membersMayReact: boolean;
  /** Minimum seconds between two messages of one ordinary member; 0 = off. Owners and admins are exempt. */
  slowModeSeconds: number;
  /** Above this many members, join and leave notices carry counts instead of listing people (see group-notices.ts). */
  noticeMemberThreshold: number;
}

export interface Group extends GroupInfo, GroupSettings {
  id: number;
  appId: number;
  status: GroupStatus;
  ownerId: number;
  creatorId: number;
  markId: string;
  cryptoKey: string;
  businessType: string | null;
  businessId: string | null;
  memberCount: number;
  /** Mute-all deadline (ms); null = not muted; MUTE_FOREVER = for ever (see mute.ts). */
  muteAllUntil: number | null;
  createdAt: number;
  updatedAt: number;
  dismissedAt: number | null;
}

export interface Member {
  groupId: number;
  userId: number;
  role: GroupRole;
  displayName: string;
  joinedAt: number;
  inviterId: number | null;
  /** Mute deadline (ms); null = not muted; MUTE_FOREVER = for ever. May be in the past. */
  mutedUntil: number | null;
  messageMuteMode: MessageMuteMode;
  pushMode: PushMode;
  updatedAt: number;
}

export interface Block {
  groupId: number;
  userId: number;
  blockedBy: number | null;
  createdAt: number;
}

export const RequestStatus = { pending: 'pending', accepted: 'accepted', declined: 'declined' } as const;
export type RequestStatus = (typeof RequestStatus)[keyof typeof RequestStatus];

/**
 * The status a listing shows: the stored one, or `expired` for a pending
 * request whose expiresAt has passed. Derived when read, never stored: a
 * request expires by the clock, not by a write.
 */
export const ListedStatus = { ...RequestStatus, expired: 'expired' } as const;
export type ListedStatus = (typeof ListedStatus)[keyof typeof ListedStatus];

export interface Application {
  id: number;
  appId: number;
  groupId: number;
  applicantId: number;
  /** Set when a member's invitation awaits admin approval (invitePolicy members_approval). */
  inviterId: number | null;
  reason: string;
  status: RequestStatus;
  handledBy: number | null;
  createdAt: number;
  updatedAt: number;
  expiresAt: number;
}

/** An application as listings show it (see ListedStatus); S narrows the statuses a filtered listing can hold. */
export type ListedApplication<S extends ListedStatus = ListedStatus> = Omit<Application, 'status'> & { status: S };

export interface Invitation {
  id: number;
  appId: number;
  groupId: number;
  inviterId: number;
  inviteeId: number;
  reason: string;
  status: RequestStatus;
  createdAt: number;
  updatedAt: number;
  expiresAt: number;
}

/** An invitation as listings show it (see ListedStatus). */
export type ListedInvitation<S extends ListedStatus = ListedStatus> = Omit<Invitation, 'status'> & { status: S };

export interface Announcement {
  id: number;
  appId: number;
  groupId: number;
  title: string;
  content: string;
  authorId: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface GroupFile {
  id: number;
  appId: number;
  groupId: number;
  name: string;
  size: number;
  type: string;
  url: string;
  /** Key of the stored object when the file lives in Parley's blob store. */
  objectKey: string | null;
  uploaderId: number | null;
  createdAt: number;
  updatedAt: number;
}

/** Who acts: a user of the app, or the app's admin credential (acts with every group right). */
export interface Actor {
  appId: number;
  userId: number | null;
  appAdmin: boolean;
}

/** One entry of a per-user batch answer (lanying renders {user_id, result, reason}). */
export interface MemberResult {
  userId: number;
  ok: boolean;
  /** An error code (src/core/errors.ts) when not ok. */
  reason?: string;
}

export interface Paged<T> {
  items: T[];
  total: number;
  next?: string;
}
