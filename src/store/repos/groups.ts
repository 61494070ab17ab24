import { sql, type Kysely, type Selectable, type Updateable } from 'kysely';
import { fail } from '../../core/errors.ts';
import type { Group, GroupKind, GroupRole, GroupStatus, InvitePolicy, JoinPolicy, Member, MessageMuteMode, PushMode } from '../../core/groups/model.ts';
import type { GroupRepo, GroupRepos, MemberRepo } from '../../core/groups/ports.ts';
import type { Engine } from '../engine.ts';
import type { Database } from '../schema.ts';
import type { GroupMembersTable, GroupsTable } from '../tables/groups.ts';
import { isUniqueViolation } from './errors.ts';
import { announcementRepo, groupFileRepo } from './groups-content.ts';
import { applicationRepo, blockRepo, invitationRepo } from './groups-requests.ts';

const b = (v: number) => v === 1;
const n = (v: boolean) => (v ? 1 : 0);

export const toGroup = (r: Selectable<GroupsTable>): Group => ({
  id: r.id,
  appId: r.app_id,
  kind: r.kind as GroupKind,
  status: r.status as GroupStatus,
  name: r.name,
  publicName: r.public_name,
  avatar: r.avatar,
  description: r.description,
  notice: r.notice,
  ext: r.ext,
  attrs: JSON.parse(r.attrs) as Record<string, unknown>,
  ownerId: r.owner_id,
  creatorId: r.creator_id,
  markId: r.mark_id,
  cryptoKey: r.crypto_key,
  businessType: r.business_type,
  businessId: r.business_id,
  capacity: r.capacity,
  memberCount: r.member_count,
  joinPolicy: r.join_policy as JoinPolicy,
  invitePolicy: r.invite_policy as InvitePolicy,
  memberModify: b(r.member_modify),
  readReceipts: b(r.read_receipts),
  historyVisible: b(r.history_visible),
  allowFriending: b(r.allow_friending),
  isPublic: b(r.is_public),
  adminsMayLeave: b(r.admins_may_leave),
  hideMemberInfo: b(r.hide_member_info),
  broadcast: b(r.broadcast),
  membersMayReact: b(r.members_may_react),
  slowModeSeconds: r.slow_mode_seconds,
  noticeMemberThreshold: r.notice_member_threshold,
  muteAllUntil: r.mute_all_until,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  dismissedAt: r.dismissed_at,
});

// Every patchable field and its column; used for both insert and update.
function groupColumns(g: Partial<Group>): Updateable<GroupsTable> {
  const c: Updateable<GroupsTable> = {};
  if (g.kind !== undefined) c.kind = g.kind;
  if (g.status !== undefined) c.status = g.status;
  if (g.name !== undefined) c.name = g.name;
  if (g.publicName !== undefined) c.public_name = g.publicName;
  if (g.avatar !== undefined) c.avatar = g.avatar;
  if (g.description !== undefined) c.description = g.description;
  if (g.notice !== undefined) c.notice = g.notice;
  if (g.ext !== undefined) c.ext = g.ext;
  if (g.attrs !== undefined) c.attrs = JSON.stringify(g.attrs);
  if (g.ownerId !== undefined) c.owner_id = g.ownerId;
  if (g.businessType !== undefined) c.business_type = g.businessType;
  if (g.businessId !== undefined) c.business_id = g.businessId;
  if (g.capacity !== undefined) c.capacity = g.capacity;
  if (g.memberCount !== undefined) c.member_count = g.memberCount;
  if (g.joinPolicy !== undefined) c.join_policy = g.joinPolicy;
  if (g.invitePolicy !== undefined) c.invite_policy = g.invitePolicy;
  if (g.memberModify !== undefined) c.member_modify = n(g.memberModify);
  if (g.readReceipts !== undefined) c.read_receipts = n(g.readReceipts);
  if (g.historyVisible !== undefined) c.history_visible = n(g.historyVisible);
  if (g.allowFriending !== undefined) c.allow_friending = n(g.allowFriending);
  if (g.isPublic !== undefined) c.is_public = n(g.isPublic);
  if (g.adminsMayLeave !== undefined) c.admins_may_leave = n(g.adminsMayLeave);
  if (g.hideMemberInfo !== undefined) c.hide_member_info = n(g.hideMemberInfo);
  if (g.broadcast !== undefined) c.broadcast = n(g.broadcast);
  if (g.membersMayReact !== undefined) c.members_may_react = n(g.membersMayReact);
  if (g.slowModeSeconds !== undefined) c.slow_mode_seconds = g.slowModeSeconds;
  if (g.noticeMemberThreshold !== undefined) c.notice_member_threshold = g.noticeMemberThreshold;
  if (g.muteAllUntil !== undefined) c.mute_all_until = g.muteAllUntil;
  if (g.updatedAt !== undefined) c.updated_at = g.updatedAt;
  if (g.dismissedAt !== undefined) c.dismissed_at = g.dismissedAt;
  return c;
}

const toMember = (r: Selectable<GroupMembersTable>): Member => ({
  groupId: r.group_id,
  userId: r.user_id,
  role: r.role as GroupRole,
  displayName: r.display_name,
  joinedAt: r.joined_at,
  inviterId: r.inviter_id,
  mutedUntil: r.muted_until,
  messageMuteMode: r.message_mute_mode as MessageMuteMode,
  pushMode: r.push_mode as PushMode,
  updatedAt: r.updated_at,
});

export function groupRepo(db: Kysely<Database>, engine: Engine): GroupRepo {
  const activeOnly = (includeDismissed: boolean) => (includeDismissed ? ['active', 'suspended', 'dismissed'] : ['active', 'suspended']);
  return {
    async insert(g) {
      try {
        await db
          .insertInto('groups')
          .values({
            ...(groupColumns(g) as Omit<GroupsTable, 'id' | 'app_id' | 'creator_id' | 'mark_id' | 'crypto_key' | 'created_at'>),
            id: g.id,
            app_id: g.appId,
            creator_id: g.creatorId,
            mark_id: g.markId,
            crypto_key: g.cryptoKey,
            created_at: g.createdAt,
          })
          .execute();
      } catch (e) {
        if (isUniqueViolation(e)) throw fail('conflict', 'a group with this mark id or business binding exists');
        throw e;
      }
    },
    async get(id) {
      const r = await db.selectFrom('groups').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toGroup(r);
    },
    async lock(id) {
      let q = db.selectFrom('groups').selectAll().where('id', '=', id);
      if (engine.supportsRowLocks) q = q.forUpdate();
      const r = await q.executeTakeFirst();
      return r && toGroup(r);
    },
    async getMany(ids) {
      if (ids.length === 0) return [];
      const rows = await db.selectFrom('groups').selectAll().where('id', 'in', [...new Set(ids)]).execute();
      return rows.map(toGroup);
    },
    async update(id, patch) {
      const set = groupColumns(patch);
      if (Object.keys(set).length === 0) return;
      try {
        await db.updateTable('groups').set(set).where('id', '=', id).execute();
      } catch (e) {
        if (isUniqueViolation(e)) throw fail('conflict', 'another group is bound to this business object');
        throw e;
      }
    },
    async findByBusiness(appId, type, bid) {
      const r = await db.selectFrom('groups').selectAll().where('app_id', '=', appId).where('business_type', '=', type).where('business_id', '=', bid).executeTakeFirst();
      return r && toGroup(r);
    },
    async findByMarkId(appId, markId) {
      const r = await db.selectFrom('groups').selectAll().where('app_id', '=', appId).where('mark_id', '=', markId).executeTakeFirst();
      return r && toGroup(r);
    },
    async listOfUser(appId, userId, o) {
      const rows = await db
        .selectFrom('groups')
        .innerJoin('group_members as m', 'm.group_id', 'groups.id')
        .selectAll('groups')
        .where('m.user_id', '=', userId)
        .where('groups.app_id', '=', appId)
        .where('groups.status', 'in', activeOnly(o.includeDismissed))
        .where('groups.id', '>', o.afterId)
        .orderBy('groups.id')
        .limit(o.limit)
        .execute();
      return rows.map(toGroup);
    },
    async countOfUser(appId, userId, includeDismissed) {
      const r = await db
        .selectFrom('groups')
        .innerJoin('group_members as m', 'm.group_id', 'groups.id')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('m.user_id', '=', userId)
        .where('groups.app_id', '=', appId)
        .where('groups.status', 'in', activeOnly(includeDismissed))
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
    async listPublic(appId, afterId, limit) {
      const rows = await db.selectFrom('groups').selectAll().where('app_id', '=', appId).where('is_public', '=', 1).where('status', '=', 'active').where('id', '>', afterId).orderBy('id').limit(limit).execute();
      return rows.map(toGroup);
    },
    async countPublic(appId) {
      const r = await db.selectFrom('groups').select((eb) => eb.fn.countAll<number>().as('n')).where('app_id', '=', appId).where('is_public', '=', 1).where('status', '=', 'active').executeTakeFirstOrThrow();
      return Number(r.n);
    },
  };
}

export function memberRepo(db: Kysely<Database>): MemberRepo {
  return {
    async insertMany(ms) {
      if (ms.length === 0) return;
      try {
        await db
          .insertInto('group_members')
          .values(
            ms.map((m) => ({
              group_id: m.groupId,
              user_id: m.userId,
              role: m.role,
              display_name: m.displayName,
              joined_at: m.joinedAt,
              inviter_id: m.inviterId,
              muted_until: m.mutedUntil,
              message_mute_mode: m.messageMuteMode,
              push_mode: m.pushMode,
              updated_at: m.updatedAt,
            })),
          )
          .execute();
      } catch (e) {
        if (isUniqueViolation(e)) throw fail('already_group_member', 'the user is already a member');
        throw e;
      }
    },
    async get(groupId, userId) {
      const r = await db.selectFrom('group_members').selectAll().where('group_id', '=', groupId).where('user_id', '=', userId).executeTakeFirst();
      return r && toMember(r);
    },
    async getMany(groupId, userIds) {
      if (userIds.length === 0) return [];
      const rows = await db.selectFrom('group_members').selectAll().where('group_id', '=', groupId).where('user_id', 'in', [...new Set(userIds)]).execute();
      return rows.map(toMember);
    },
    async update(groupId, userIds, p) {
      if (userIds.length === 0) return;
      const set: Updateable<GroupMembersTable> = {};
      if (p.role !== undefined) set.role = p.role;
      if (p.displayName !== undefined) set.display_name = p.displayName;
      if (p.mutedUntil !== undefined) set.muted_until = p.mutedUntil;
      if (p.messageMuteMode !== undefined) set.message_mute_mode = p.messageMuteMode;
      if (p.pushMode !== undefined) set.push_mode = p.pushMode;
      if (p.updatedAt !== undefined) set.updated_at = p.updatedAt;
      if (Object.keys(set).length === 0) return;
      await db.updateTable('group_members').set(set).where('group_id', '=', groupId).where('user_id', 'in', [...new Set(userIds)]).execute();
    },
    async delete(groupId, userIds) {
      if (userIds.length === 0) return 0;
      const r = await db.deleteFrom('group_members').where('group_id', '=', groupId).where('user_id', 'in', [...new Set(userIds)]).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
    async list(groupId, after, limit) {
      let q = db.selectFrom('group_members').selectAll().where('group_id', '=', groupId);
      if (after) {
        q = q.where((eb) =>
          eb.or([eb('joined_at', '>', after.joinedAt), eb.and([eb('joined_at', '=', after.joinedAt), eb('user_id', '>', after.userId)])]),
        );
      }
      const rows = await q.orderBy('joined_at').orderBy('user_id').limit(limit).execute();
      return rows.map(toMember);
    },
    async listByRole(groupId, roles) {
      if (roles.length === 0) return [];
      // Sorted here, not in SQL: an ORDER BY joined_at lets the planner walk the
      // whole group in join order and filter by role; the (group_id, role)
      // index reaches the few staff rows directly (bounded by the admin cap).
      const rows = await db.selectFrom('group_members').selectAll().where('group_id', '=', groupId).where('role', 'in', [...roles]).execute();
      return rows.map(toMember).sort((a, b) => a.joinedAt - b.joinedAt || a.userId - b.userId);
    },
    async countByRole(groupId, role) {
      const r = await db.selectFrom('group_members').select((eb) => eb.fn.countAll<number>().as('n')).where('group_id', '=', groupId).where('role', '=', role).executeTakeFirstOrThrow();
      return Number(r.n);
    },
    async listMuted(groupId, now, afterId, limit) {
      const rows = await db
        .selectFrom('group_members')
        .selectAll()
        .where('group_id', '=', groupId)
        .where('muted_until', '>', now)
        // `+user_id` (unary plus, both engines) keeps the planner off the
        // primary key: walking a 100,000-member group in user order to find
        // the few muted is what the (group_id, muted_until) index avoids.
        .where(sql<number>`+user_id`, '>', afterId)
        .orderBy(sql`+user_id`)
        .limit(limit)
        .execute();
      return rows.map(toMember);
    },
    async countMuted(groupId, now) {
      const r = await db.selectFrom('group_members').select((eb) => eb.fn.countAll<number>().as('n')).where('group_id', '=', groupId).where('muted_until', '>', now).executeTakeFirstOrThrow();
      return Number(r.n);
    },
    async takePostTurn(groupId, userId, now, intervalMs) {
      const r = await db
        .updateTable('group_members')
        .set({ last_posted_at: now })
        .where('group_id', '=', groupId)
        .where('user_id', '=', userId)
        .where((eb) => eb.or([eb('last_posted_at', 'is', null), eb('last_posted_at', '<=', now - intervalMs)]))
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) > 0) return 'taken';
      const m = await db.selectFrom('group_members').select('last_posted_at').where('group_id', '=', groupId).where('user_id', '=', userId).executeTakeFirst();
      return { lastPostedAt: m ? m.last_posted_at : null };
    },
    async groupIdsOf(appId, userId) {
      const rows = await db
        .selectFrom('group_members as m')
        .innerJoin('groups as g', 'g.id', 'm.group_id')
        .select('g.id')
        .where('m.user_id', '=', userId)
        .where('g.app_id', '=', appId)
        .where('g.status', '!=', 'dismissed')
        .orderBy('g.id')
        .execute();
      return rows.map((r) => r.id);
    },
    async listJoinedGroups(appId, userId) {
      const rows = await db
        .selectFrom('group_members as m')
        .innerJoin('groups as g', 'g.id', 'm.group_id')
        .select(['g.id', 'm.joined_at'])
        .where('m.user_id', '=', userId)
        .where('g.app_id', '=', appId)
        .where('g.status', '!=', 'dismissed')
        .orderBy('g.id')
        .execute();
      return rows.map((r) => ({ groupId: r.id, joinedAt: r.joined_at }));
    },
  };
}

export function groupRepos(db: Kysely<Database>, engine: Engine): GroupRepos {
  return {
    groups: groupRepo(db, engine),
    members: memberRepo(db),
    blocks: blockRepo(db),
    applications: applicationRepo(db),
    invitations: invitationRepo(db),
    announcements: announcementRepo(db),
    files: groupFileRepo(db),
  };
}
