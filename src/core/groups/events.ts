// Domain events of groups, emitted after commit. `audience.groupId` reaches
// the group's members; `audience.users` adds people concerned who are not (or
// no longer) members: the kicked, the blocked, the invitee, the applicant.

import type { Audience } from '../events.ts';
import type { Announcement, Application, Group, GroupFile, GroupRole, Invitation, Member } from './model.ts';

interface Base<T extends string> {
  type: T;
  appId: number;
  groupId: number;
  /** The user who acted; null for an app-admin credential or the system (expiry). */
  actorId: number | null;
  at: number;
  audience: Audience;
}

export type JoinVia = 'created' | 'added' | 'invitation' | 'application' | 'qr_code' | 'inviter' | 'business';

export interface GroupCreated extends Base<'group.created'> {
  group: Group;
}
export interface GroupUpdated extends Base<'group.updated'> {
  group: Group;
  /** Names of the fields that changed (name, avatar, joinPolicy, muteAllUntil, …). */
  changed: string[];
}
export interface GroupDismissed extends Base<'group.dismissed'> {}
export interface GroupOwnerTransferred extends Base<'group.owner_transferred'> {
  fromUserId: number;
  toUserId: number;
}
export interface GroupMembersJoined extends Base<'group.members_joined'> {
  userIds: number[];
  via: JoinVia;
  inviterId: number | null;
  memberCount: number;
  /** Above the group's noticeMemberThreshold: no notice is recorded and only the newcomers and the staff hear of it (large-group.ts). */
  quiet?: boolean;
}
export interface GroupMemberLeft extends Base<'group.member_left'> {
  userId: number;
  memberCount: number;
  /** As for joins: no notice, and only the leaver and the staff hear of it. */
  quiet?: boolean;
}
export interface GroupMembersRemoved extends Base<'group.members_removed'> {
  userIds: number[];
  reason: 'kicked' | 'blocked';
  memberCount: number;
}
export interface GroupRolesChanged extends Base<'group.roles_changed'> {
  userIds: number[];
  role: GroupRole;
}
export interface GroupMembersMuted extends Base<'group.members_muted'> {
  userIds: number[];
  /** The deadline (ms); MUTE_FOREVER for ever. */
  mutedUntil: number;
}
export interface GroupMembersUnmuted extends Base<'group.members_unmuted'> {
  userIds: number[];
}
export interface GroupMembersBlocked extends Base<'group.members_blocked'> {
  userIds: number[];
}
export interface GroupMembersUnblocked extends Base<'group.members_unblocked'> {
  userIds: number[];
}
export interface GroupMemberUpdated extends Base<'group.member_updated'> {
  member: Member;
  changed: string[];
}
export interface GroupApplicationCreated extends Base<'group.application_created'> {
  application: Application;
}
export interface GroupApplicationHandled extends Base<'group.application_handled'> {
  application: Application;
}
export interface GroupInvitationCreated extends Base<'group.invitation_created'> {
  invitation: Invitation;
}
export interface GroupInvitationHandled extends Base<'group.invitation_handled'> {
  invitation: Invitation;
}
export interface GroupAnnouncementPosted extends Base<'group.announcement_posted'> {
  announcement: Announcement;
}
export interface GroupAnnouncementUpdated extends Base<'group.announcement_updated'> {
  announcement: Announcement;
}
export interface GroupAnnouncementDeleted extends Base<'group.announcement_deleted'> {
  announcementId: number;
}
export interface GroupFileAdded extends Base<'group.file_added'> {
  file: GroupFile;
}
export interface GroupFileRenamed extends Base<'group.file_renamed'> {
  file: GroupFile;
}
export interface GroupFileDeleted extends Base<'group.file_deleted'> {
  fileId: number;
}

export type GroupEvent =
  | GroupCreated
  | GroupUpdated
  | GroupDismissed
  | GroupOwnerTransferred
  | GroupMembersJoined
  | GroupMemberLeft
  | GroupMembersRemoved
  | GroupRolesChanged
  | GroupMembersMuted
  | GroupMembersUnmuted
  | GroupMembersBlocked
  | GroupMembersUnblocked
  | GroupMemberUpdated
  | GroupApplicationCreated
  | GroupApplicationHandled
  | GroupInvitationCreated
  | GroupInvitationHandled
  | GroupAnnouncementPosted
  | GroupAnnouncementUpdated
  | GroupAnnouncementDeleted
  | GroupFileAdded
  | GroupFileRenamed
  | GroupFileDeleted;
