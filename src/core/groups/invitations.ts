// Invitations: a member (as the invite policy allows) invites users, who
// accept or decline before the invitation expires. Under invitePolicy
// members_approval an ordinary member's invitation becomes an application
// (with the inviter recorded) for the staff to approve instead.

import { decodeCursor, encodeCursor, isPositiveInt } from '../cursor.ts';
import { fail } from '../errors.ts';
import { admitOne } from './admission.ts';
import type { Applications } from './applications.ts';
import type { GroupContext } from './context.ts';
import { assertUsable, batchIds, requireUserActor } from './context.ts';
import type { Actor, Invitation, ListedInvitation, ListedStatus, MemberResult, Paged } from './model.ts';
import { GroupAction } from './permissions.ts';

const MAX_REASON = 1024;

export class Invitations {
  readonly #c: GroupContext;
  readonly #applications: Applications;
  constructor(c: GroupContext, applications: Applications) {
    this.#c = c;
    this.#applications = applications;
  }

  /** Invites users; per-user answers. */
  async invite(actor: Actor, groupId: number, userIds: readonly number[], reason = ''): Promise<MemberResult[]> {
    const inviterId = requireUserActor(actor);
    if (reason.length > MAX_REASON) throw fail('invalid_argument', `reason is longer than ${MAX_REASON} characters`);
    const ids = batchIds(userIds);
    const c = this.#c;
    return c.mutate(async (tx, emit) => {
      const { group, standing } = await c.authorize(tx, actor, groupId, GroupAction.invite, { lock: true });
      const known = await c.knownUsers(tx, actor.appId, ids);
      const members = new Set((await tx.groups.members.getMany(group.id, ids)).map((m) => m.userId));
      const blocked = new Set((await tx.groups.blocks.getMany(group.id, ids)).map((b) => b.userId));
      const needsApproval = standing === 'member' && group.invitePolicy === 'members_approval';
      const now = c.now();
      const results: MemberResult[] = [];
      for (const userId of ids) {
        if (userId === inviterId) results.push({ userId, ok: false, reason: 'cannot_act_on_self' });
        else if (!known.has(userId)) results.push({ userId, ok: false, reason: 'user_not_found' });
        else if (members.has(userId)) results.push({ userId, ok: false, reason: 'already_group_member' });
        else if (blocked.has(userId)) results.push({ userId, ok: false, reason: 'blocked_from_group' });
        else if (needsApproval) {
          await this.#applications.fileForInvitee(tx, emit, group, userId, inviterId, reason, now);
          results.push({ userId, ok: true });
        } else {
          const invitation = await tx.groups.invitations.upsert({
            id: c.d.ids.next(),
            appId: group.appId,
            groupId: group.id,
            inviterId,
            inviteeId: userId,
            reason,
            status: 'pending',
            createdAt: now,
            updatedAt: now,
            expiresAt: now + c.d.limits.invitationTtlMs,
          });
          emit({ type: 'group.invitation_created', appId: group.appId, groupId: group.id, actorId: inviterId, at: now, audience: { users: [userId, inviterId] }, invitation });
          results.push({ userId, ok: true });
        }
      }
      return results;
    });
  }

  /**
   * The invitee accepts or declines: by invitation id, or by group (and
   * optionally the inviter; without one, the newest pending invitation).
   */
  async respond(actor: Actor, ref: { invitationId: number } | { groupId: number; inviterId?: number }, accept: boolean): Promise<Invitation> {
    const userId = requireUserActor(actor);
    const c = this.#c;
    const repo = c.d.store.groups.invitations;
    const found = 'invitationId' in ref ? await repo.get(ref.invitationId) : await repo.findPending(ref.groupId, userId, ref.inviterId);
    if (!found || found.appId !== actor.appId || found.inviteeId !== userId) throw fail('invitation_not_found', 'no such invitation');
    return c.mutate(async (tx, emit) => {
      const group = await c.group(tx, actor.appId, found.groupId, true);
      const inv = await tx.groups.invitations.get(found.id);
      if (!inv) throw fail('invitation_not_found', 'no such invitation');
      if (inv.status !== 'pending') throw fail('invitation_handled', `the invitation was already ${inv.status}`, { status: inv.status });
      const now = c.now();
      if (inv.expiresAt <= now) throw fail('invitation_expired', 'the invitation has expired');
      if (accept) {
        assertUsable(group);
        await admitOne(tx, emit, { group, userId, via: 'invitation', inviterId: inv.inviterId, actorId: userId, now, known: new Set([userId]) });
      }
      const status = accept ? 'accepted' : 'declined';
      if (!(await tx.groups.invitations.settle(inv.id, status, now))) throw fail('invitation_handled', 'the invitation was already handled');
      const handled: Invitation = { ...inv, status, updatedAt: now };
      emit({ type: 'group.invitation_handled', appId: group.appId, groupId: group.id, actorId: userId, at: now, audience: { users: [userId, inv.inviterId] }, invitation: handled });
      return handled;
    });
  }

  /** Invitations the caller sent or received, newest first (optionally for one group). */
  async listMine<S extends ListedStatus = ListedStatus>(actor: Actor, opts: { groupId?: number; statuses?: readonly S[]; cursor?: string; limit: number }): Promise<Paged<ListedInvitation<S>>> {
    const userId = requireUserActor(actor);
    const before = opts.cursor ? decodeCursor(opts.cursor, isPositiveInt) : Number.MAX_SAFE_INTEGER;
    const limit = Math.min(Math.max(opts.limit, 1), 1000);
    const repo = this.#c.d.store.groups.invitations;
    // One `now` for the rows and their count, so both agree on what has expired.
    const filter = { ...(opts.groupId !== undefined ? { groupId: opts.groupId } : {}), ...(opts.statuses ? { statuses: opts.statuses } : {}), now: this.#c.now() };
    const rows = await repo.listOfUser(actor.appId, userId, { ...filter, beforeId: before, limit: limit + 1 });
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    // The store kept only rows listed with one of `statuses`, judged at the same `now`.
    const items = page.map((i) => listedInvitation(i, filter.now) as ListedInvitation<S>);
    return { items, total: await repo.countOfUser(actor.appId, userId, filter), ...(more ? { next: encodeCursor(page[page.length - 1].id) } : {}) };
  }
}

/** How a listing shows an invitation at `now` (see ListedStatus). */
function listedInvitation(i: Invitation, now: number): ListedInvitation {
  return i.status === 'pending' && i.expiresAt <= now ? { ...i, status: 'expired' } : i;
}
