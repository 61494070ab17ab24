// The group part of the Store port. Guarantees: `groups.lock` takes the
// group's row lock for the rest of the transaction (PostgreSQL FOR UPDATE;
// SQLite serialises writers), so every rule checked after it (capacity,
// duplicates, admin count) holds until commit. Unique constraints back the
// rest: insert methods throw ParleyError `conflict` on a duplicate key.

import type { Announcement, Application, Block, Group, GroupFile, GroupRole, Invitation, ListedStatus, Member, RequestStatus } from './model.ts';

export type GroupPatch = Partial<Omit<Group, 'id' | 'appId' | 'createdAt' | 'creatorId' | 'markId' | 'cryptoKey'>>;
export type MemberPatch = Partial<Pick<Member, 'role' | 'displayName' | 'mutedUntil' | 'messageMuteMode' | 'pushMode' | 'updatedAt'>>;

/** Keyset position in a member list (join order). */
export interface MemberKey {
  joinedAt: number;
  userId: number;
}

export interface GroupRepo {
  insert(g: Group): Promise<void>;
  get(id: number): Promise<Group | undefined>;
  /** Reads and locks the row until the transaction ends (use inside `transaction`). */
  lock(id: number): Promise<Group | undefined>;
  getMany(ids: readonly number[]): Promise<Group[]>;
  update(id: number, patch: GroupPatch): Promise<void>;
  findByBusiness(appId: number, businessType: string, businessId: string): Promise<Group | undefined>;
  findByMarkId(appId: number, markId: string): Promise<Group | undefined>;
  /** Groups `userId` has a membership row in, by group id after `afterId`. */
  listOfUser(appId: number, userId: number, opts: { afterId: number; limit: number; includeDismissed: boolean }): Promise<Group[]>;
  countOfUser(appId: number, userId: number, includeDismissed: boolean): Promise<number>;
  /** Public groups of an app by id after `afterId`. */
  listPublic(appId: number, afterId: number, limit: number): Promise<Group[]>;
  countPublic(appId: number): Promise<number>;
}

export interface MemberRepo {
  insertMany(members: readonly Member[]): Promise<void>;
  get(groupId: number, userId: number): Promise<Member | undefined>;
  getMany(groupId: number, userIds: readonly number[]): Promise<Member[]>;
  update(groupId: number, userIds: readonly number[], patch: MemberPatch): Promise<void>;
  delete(groupId: number, userIds: readonly number[]): Promise<number>;
  list(groupId: number, after: MemberKey | null, limit: number): Promise<Member[]>;
  listByRole(groupId: number, roles: readonly GroupRole[]): Promise<Member[]>;
  countByRole(groupId: number, role: GroupRole): Promise<number>;
  /** Members whose mute deadline is after `now`, by user id after `afterId`. */
  listMuted(groupId: number, now: number, afterId: number, limit: number): Promise<Member[]>;
  countMuted(groupId: number, now: number): Promise<number>;
  groupIdsOf(appId: number, userId: number): Promise<number[]>;
  /** The same groups with the member's join time. */
  listJoinedGroups(appId: number, userId: number): Promise<{ groupId: number; joinedAt: number }[]>;
  /**
   * Slow mode: sets the member's last post time to `now` only if the last one
   * is at least `intervalMs` old, in one conditional update (atomic across
   * processes). Answers 'taken', or the last post time that refused it
   * (null when there is no such member).
   */
  takePostTurn(groupId: number, userId: number, now: number, intervalMs: number): Promise<'taken' | { lastPostedAt: number | null }>;
}

export interface BlockRepo {
  insertMany(blocks: readonly Block[]): Promise<void>;
  getMany(groupId: number, userIds: readonly number[]): Promise<Block[]>;
  delete(groupId: number, userIds: readonly number[]): Promise<number>;
  list(groupId: number, afterId: number, limit: number): Promise<Block[]>;
  count(groupId: number): Promise<number>;
}

/** Listed statuses to keep (all when absent), `expired` meaning pending with expiresAt <= now. */
export interface StatusFilter {
  statuses?: readonly ListedStatus[];
  now: number;
}

export interface ApplicationRepo {
  /** Inserts, or when (group, applicant) exists replaces that row (re-applying). */
  upsert(a: Application): Promise<Application>;
  get(id: number): Promise<Application | undefined>;
  getByApplicant(groupId: number, applicantId: number): Promise<Application | undefined>;
  /** Moves a pending, unexpired application to `to`; false when it was not pending (handled by someone else). */
  settle(id: number, to: RequestStatus, by: number | null, now: number): Promise<boolean>;
  /**
   * Applications to the groups with id > afterId, by id; with `statuses`, only
   * those whose listed status (pending and expired judged at `now`) is one of them.
   */
  list(groupIds: readonly number[], opts: StatusFilter & { afterId: number; limit: number }): Promise<Application[]>;
  count(groupIds: readonly number[], opts: StatusFilter): Promise<number>;
}

export interface InvitationRepo {
  upsert(i: Invitation): Promise<Invitation>;
  get(id: number): Promise<Invitation | undefined>;
  /** The newest pending invitation of `inviteeId` to the group (optionally from one inviter). */
  findPending(groupId: number, inviteeId: number, inviterId?: number): Promise<Invitation | undefined>;
  settle(id: number, to: RequestStatus, now: number): Promise<boolean>;
  /** Invitations where the user is invitee or inviter, newest first, ids below `beforeId`. */
  listOfUser(appId: number, userId: number, opts: StatusFilter & { groupId?: number; beforeId: number; limit: number }): Promise<Invitation[]>;
  countOfUser(appId: number, userId: number, opts: StatusFilter & { groupId?: number }): Promise<number>;
}

export interface AnnouncementRepo {
  insert(a: Announcement): Promise<void>;
  get(id: number): Promise<Announcement | undefined>;
  update(id: number, patch: Partial<Pick<Announcement, 'title' | 'content' | 'updatedAt'>>): Promise<void>;
  delete(id: number): Promise<boolean>;
  /** Newest first, ids below `beforeId`. */
  list(groupId: number, beforeId: number, limit: number): Promise<Announcement[]>;
  count(groupId: number): Promise<number>;
}

export interface GroupFileRepo {
  insert(f: GroupFile): Promise<void>;
  get(id: number): Promise<GroupFile | undefined>;
  update(id: number, patch: Partial<Pick<GroupFile, 'name' | 'updatedAt'>>): Promise<void>;
  delete(id: number): Promise<boolean>;
  list(groupId: number, beforeId: number, limit: number): Promise<GroupFile[]>;
  count(groupId: number): Promise<number>;
}

export interface GroupRepos {
  groups: GroupRepo;
  members: MemberRepo;
  blocks: BlockRepo;
  applications: ApplicationRepo;
  invitations: InvitationRepo;
  announcements: AnnouncementRepo;
  files: GroupFileRepo;
}
