// Applications to join: the join policy decides (open: joined at once;
// approval: pending for the staff, expiring; closed: refused). Handling is
// settled by a conditional update under the group lock, so of two admins
// approving at once one wins and the other gets application_handled.

import { decodeCursor, encodeCursor, isPositiveInt } from '../cursor.ts';
import { fail } from '../errors.ts';
import type { Repositories } from '../ports.ts';
import { admitOne } from './admission.ts';
import type { Emit, GroupContext } from './context.ts';
import { assertUsable, requireUserActor } from './context.ts';
import type { Actor, Application, Group, ListedApplication, ListedStatus, Paged, RequestStatus } from './model.ts';
import { GroupAction, assertCan } from './permissions.ts';

export type ApplyOutcome = { outcome: 'joined' } | { outcome: 'pending'; application: Application };

const MAX_REASON = 1024;

export class Applications {
  readonly #c: GroupContext;
  constructor(c: GroupContext) {
    this.#c = c;
  }

  async apply(actor: Actor, groupId: number, reason = ''): Promise<ApplyOutcome> {
    const userId = requireUserActor(actor);
    if (reason.length > MAX_REASON) throw fail('invalid_argument', `reason is longer than ${MAX_REASON} characters`);
    const c = this.#c;
    return c.mutate(async (tx, emit) => {
      // An app admin acting as a user applies as that user.
      const { group, standing } = await c.seat(tx, { ...actor, appAdmin: false }, groupId, true);
      assertUsable(group);
      assertCan(GroupAction.apply, standing, group);
      const now = c.now();
      switch (group.joinPolicy) {
        case 'closed':
          throw fail('join_refused', `group ${group.id} does not accept applications`);
        case 'open':
          await admitOne(tx, emit, { group, userId, via: 'application', inviterId: null, actorId: userId, now, known: new Set([userId]) });
          return { outcome: 'joined' as const };
        case 'approval':
          return { outcome: 'pending' as const, application: await this.#file(tx, emit, group, userId, null, reason, now) };
      }
    });
  }

  /** Files (or refreshes) a pending application; also used for invitations that need approval. */
  async #file(tx: Repositories, emit: Emit, group: Group, applicantId: number, inviterId: number | null, reason: string, now: number): Promise<Application> {
    const application = await tx.groups.applications.upsert({
      id: this.#c.d.ids.next(),
      appId: group.appId,
      groupId: group.id,
      applicantId,
      inviterId,
      reason,
      status: 'pending',
      handledBy: null,
      createdAt: now,
      updatedAt: now,
      expiresAt: now + this.#c.d.limits.applicationTtlMs,
    });
    const staff = (await tx.groups.members.listByRole(group.id, ['owner', 'admin'])).map((m) => m.userId);
    const users = [...new Set([...staff, applicantId, ...(inviterId === null ? [] : [inviterId])])];
    emit({ type: 'group.application_created', appId: group.appId, groupId: group.id, actorId: inviterId ?? applicantId, at: now, audience: { users }, application });
    return application;
  }

  /** For Invitations under invitePolicy members_approval. */
  fileForInvitee(tx: Repositories, emit: Emit, group: Group, inviteeId: number, inviterId: number, reason: string, now: number): Promise<Application> {
    return this.#file(tx, emit, group, inviteeId, inviterId, reason, now);
  }

  /** Approve or reject, by application id or by (group, applicant). */
  async handle(actor: Actor, ref: { groupId: number; applicationId: number } | { groupId: number; applicantId: number }, approve: boolean): Promise<Application> {
    const c = this.#c;
    const store = c.d.store.groups.applications;
    const found = 'applicationId' in ref ? await store.get(ref.applicationId) : await store.getByApplicant(ref.groupId, ref.applicantId);
    if (!found || found.appId !== actor.appId || found.groupId !== ref.groupId) throw fail('application_not_found', 'no such application');
    return c.mutate(async (tx, emit) => {
      const { group } = await c.authorize(tx, actor, found.groupId, GroupAction.handleApplications, { lock: true });
      const a = await tx.groups.applications.get(found.id);
      if (!a) throw fail('application_not_found', 'no such application');
      if (a.status !== 'pending') throw fail('application_handled', `the application was already ${a.status}`, { status: a.status });
      const now = c.now();
      if (a.expiresAt <= now) throw fail('application_expired', 'the application has expired');
      const to: RequestStatus = approve ? 'accepted' : 'declined';
      if (!(await tx.groups.applications.settle(a.id, to, actor.userId, now))) throw fail('application_handled', 'the application was already handled');
      if (approve) {
        const already = await tx.groups.members.get(group.id, a.applicantId);
        if (!already) await admitOne(tx, emit, { group, userId: a.applicantId, via: 'application', inviterId: a.inviterId, actorId: actor.userId, now, known: new Set([a.applicantId]) });
      }
      const handled: Application = { ...a, status: to, handledBy: actor.userId, updatedAt: now };
      emit({ type: 'group.application_handled', appId: group.appId, groupId: group.id, actorId: actor.userId, at: now, audience: { groupId: group.id, users: [a.applicantId] }, application: handled });
      return handled;
    });
  }

  /**
   * Applications to the given groups (each must be one the caller handles),
   * oldest first, a pending one past its expiry listed as `expired`;
   * `statuses` keeps only those listed with one of them.
   */
  async list<S extends ListedStatus = ListedStatus>(actor: Actor, groupIds: readonly number[], opts: { statuses?: readonly S[]; cursor?: string; limit: number }): Promise<Paged<ListedApplication<S>>> {
    const c = this.#c;
    const ids = [...new Set(groupIds)];
    if (ids.length === 0 || ids.length > 100) throw fail('invalid_argument', 'name 1 to 100 groups');
    for (const id of ids) await c.authorize(c.d.store, actor, id, GroupAction.handleApplications, { allowDismissed: true });
    const after = opts.cursor ? decodeCursor(opts.cursor, isPositiveInt) : 0;
    const limit = Math.min(Math.max(opts.limit, 1), 1000);
    const repo = c.d.store.groups.applications;
    // One `now` for the rows and their count, so both agree on what has expired.
    const filter = { ...(opts.statuses ? { statuses: opts.statuses } : {}), now: c.now() };
    const rows = await repo.list(ids, { ...filter, afterId: after, limit: limit + 1 });
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    // The store kept only rows listed with one of `statuses`, judged at the same `now`.
    const items = page.map((a) => listed(a, filter.now) as ListedApplication<S>);
    return { items, total: await repo.count(ids, filter), ...(more ? { next: encodeCursor(page[page.length - 1].id) } : {}) };
  }
}

/** How a listing shows an application at `now` (see ListedStatus). */
function listed(a: Application, now: number): ListedApplication {
  return a.status === 'pending' && a.expiresAt <= now ? { ...a, status: 'expired' } : a;
}
