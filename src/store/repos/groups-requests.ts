import { sql, type Kysely, type Selectable } from 'kysely';
import type { Application, Invitation, ListedStatus, RequestStatus } from '../../core/groups/model.ts';
import type { ApplicationRepo, BlockRepo, InvitationRepo, StatusFilter } from '../../core/groups/ports.ts';
import type { Database } from '../schema.ts';
import type { GroupApplicationsTable, GroupInvitationsTable } from '../tables/groups.ts';

const toApplication = (r: Selectable<GroupApplicationsTable>): Application => ({
  id: r.id,
  appId: r.app_id,
  groupId: r.group_id,
  applicantId: r.applicant_id,
  inviterId: r.inviter_id,
  reason: r.reason,
  status: r.status as RequestStatus,
  handledBy: r.handled_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  expiresAt: r.expires_at,
});

const toInvitation = (r: Selectable<GroupInvitationsTable>): Invitation => ({
  id: r.id,
  appId: r.app_id,
  groupId: r.group_id,
  inviterId: r.inviter_id,
  inviteeId: r.invitee_id,
  reason: r.reason,
  status: r.status as RequestStatus,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  expiresAt: r.expires_at,
});

export function blockRepo(db: Kysely<Database>): BlockRepo {
  return {
    async insertMany(blocks) {
      if (blocks.length === 0) return;
      await db
        .insertInto('group_blocks')
        .values(blocks.map((x) => ({ group_id: x.groupId, user_id: x.userId, blocked_by: x.blockedBy, created_at: x.createdAt })))
        .onConflict((oc) => oc.columns(['group_id', 'user_id']).doNothing())
        .execute();
    },
    async getMany(groupId, userIds) {
      if (userIds.length === 0) return [];
      const rows = await db.selectFrom('group_blocks').selectAll().where('group_id', '=', groupId).where('user_id', 'in', [...new Set(userIds)]).execute();
      return rows.map((r) => ({ groupId: r.group_id, userId: r.user_id, blockedBy: r.blocked_by, createdAt: r.created_at }));
    },
    async delete(groupId, userIds) {
      if (userIds.length === 0) return 0;
      const r = await db.deleteFrom('group_blocks').where('group_id', '=', groupId).where('user_id', 'in', [...new Set(userIds)]).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
    async list(groupId, afterId, limit) {
      const rows = await db.selectFrom('group_blocks').selectAll().where('group_id', '=', groupId).where('user_id', '>', afterId).orderBy('user_id').limit(limit).execute();
      return rows.map((r) => ({ groupId: r.group_id, userId: r.user_id, blockedBy: r.blocked_by, createdAt: r.created_at }));
    },
    async count(groupId) {
      const r = await db.selectFrom('group_blocks').select((eb) => eb.fn.countAll<number>().as('n')).where('group_id', '=', groupId).executeTakeFirstOrThrow();
      return Number(r.n);
    },
  };
}

/**
 * The rows (of group_applications or group_invitations, which share these
 * columns) whose listed status is one of `statuses`: expired is pending with
 * expires_at <= now, pending is pending before it.
 */
function listedStatusIn({ statuses = [], now }: StatusFilter) {
  const one = (s: ListedStatus) => {
    switch (s) {
      case 'pending':
        return sql<boolean>`(status = 'pending' and expires_at > ${now})`;
      case 'expired':
        return sql<boolean>`(status = 'pending' and expires_at <= ${now})`;
      case 'accepted':
      case 'declined':
        return sql<boolean>`status = ${s}`;
    }
  };
  return statuses.length === 0 ? sql<boolean>`false` : sql<boolean>`(${sql.join(statuses.map(one), sql` or `)})`;
}

export function applicationRepo(db: Kysely<Database>): ApplicationRepo {
  const get = async (id: number) => {
    const r = await db.selectFrom('group_applications').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toApplication(r);
  };
  return {
    async upsert(a) {
      await db
        .insertInto('group_applications')
        .values({
          id: a.id,
          app_id: a.appId,
          group_id: a.groupId,
          applicant_id: a.applicantId,
          inviter_id: a.inviterId,
          reason: a.reason,
          status: a.status,
          handled_by: a.handledBy,
          created_at: a.createdAt,
          updated_at: a.updatedAt,
          expires_at: a.expiresAt,
        })
        .onConflict((oc) =>
          oc.columns(['group_id', 'applicant_id']).doUpdateSet({
            inviter_id: a.inviterId,
            reason: a.reason,
            status: a.status,
            handled_by: a.handledBy,
            created_at: a.createdAt,
            updated_at: a.updatedAt,
            expires_at: a.expiresAt,
          }),
        )
        .execute();
      const r = await db.selectFrom('group_applications').selectAll().where('group_id', '=', a.groupId).where('applicant_id', '=', a.applicantId).executeTakeFirstOrThrow();
      return toApplication(r);
    },
    get,
    async getByApplicant(groupId, applicantId) {
      const r = await db.selectFrom('group_applications').selectAll().where('group_id', '=', groupId).where('applicant_id', '=', applicantId).executeTakeFirst();
      return r && toApplication(r);
    },
    async settle(id, to, by, now) {
      const r = await db
        .updateTable('group_applications')
        .set({ status: to, handled_by: by, updated_at: now })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async list(groupIds, o) {
      if (groupIds.length === 0) return [];
      let q = db.selectFrom('group_applications').selectAll().where('group_id', 'in', [...groupIds]).where('id', '>', o.afterId);
      if (o.statuses) q = q.where(listedStatusIn(o));
      const rows = await q.orderBy('id').limit(o.limit).execute();
      return rows.map(toApplication);
    },
    async count(groupIds, o) {
      if (groupIds.length === 0) return 0;
      let q = db.selectFrom('group_applications').select((eb) => eb.fn.countAll<number>().as('n')).where('group_id', 'in', [...groupIds]);
      if (o.statuses) q = q.where(listedStatusIn(o));
      const r = await q.executeTakeFirstOrThrow();
      return Number(r.n);
    },
  };
}

export function invitationRepo(db: Kysely<Database>): InvitationRepo {
  return {
    async upsert(i) {
      await db
        .insertInto('group_invitations')
        .values({
          id: i.id,
          app_id: i.appId,
          group_id: i.groupId,
          inviter_id: i.inviterId,
          invitee_id: i.inviteeId,
          reason: i.reason,
          status: i.status,
          created_at: i.createdAt,
          updated_at: i.updatedAt,
          expires_at: i.expiresAt,
        })
        .onConflict((oc) =>
          oc.columns(['group_id', 'inviter_id', 'invitee_id']).doUpdateSet({ reason: i.reason, status: i.status, created_at: i.createdAt, updated_at: i.updatedAt, expires_at: i.expiresAt }),
        )
        .execute();
      const r = await db
        .selectFrom('group_invitations')
        .selectAll()
        .where('group_id', '=', i.groupId)
        .where('inviter_id', '=', i.inviterId)
        .where('invitee_id', '=', i.inviteeId)
        .executeTakeFirstOrThrow();
      return toInvitation(r);
    },
    async get(id) {
      const r = await db.selectFrom('group_invitations').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toInvitation(r);
    },
    async findPending(groupId, inviteeId, inviterId) {
      let q = db.selectFrom('group_invitations').selectAll().where('group_id', '=', groupId).where('invitee_id', '=', inviteeId).where('status', '=', 'pending');
      if (inviterId !== undefined) q = q.where('inviter_id', '=', inviterId);
      const r = await q.orderBy('updated_at', 'desc').orderBy('id', 'desc').executeTakeFirst();
      return r && toInvitation(r);
    },
    async settle(id, to, now) {
      const r = await db.updateTable('group_invitations').set({ status: to, updated_at: now }).where('id', '=', id).where('status', '=', 'pending').executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async listOfUser(appId, userId, o) {
      let q = db
        .selectFrom('group_invitations')
        .selectAll()
        .where('app_id', '=', appId)
        .where((eb) => eb.or([eb('invitee_id', '=', userId), eb('inviter_id', '=', userId)]))
        .where('id', '<', o.beforeId);
      if (o.groupId !== undefined) q = q.where('group_id', '=', o.groupId);
      if (o.statuses) q = q.where(listedStatusIn(o));
      const rows = await q.orderBy('id', 'desc').limit(o.limit).execute();
      return rows.map(toInvitation);
    },
    async countOfUser(appId, userId, o) {
      let q = db
        .selectFrom('group_invitations')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('app_id', '=', appId)
        .where((eb) => eb.or([eb('invitee_id', '=', userId), eb('inviter_id', '=', userId)]));
      if (o.groupId !== undefined) q = q.where('group_id', '=', o.groupId);
      if (o.statuses) q = q.where(listedStatusIn(o));
      const r = await q.executeTakeFirstOrThrow();
      return Number(r.n);
    },
  };
}
