// A member's profile in a group: display name (self; staff for those below
// them, legacy userSetGroup), message mute mode 0/1/2 and push mode 0–4
// (self only), and batch display names.

import { fail } from '../errors.ts';
import { checkLine } from '../text.ts';
import type { GroupContext } from './context.ts';
import type { Actor, Member, MessageMuteMode, PushMode } from './model.ts';
import { GroupAction, assertCan, mayActOn } from './permissions.ts';

export interface MemberProfilePatch {
  displayName?: string;
  messageMuteMode?: MessageMuteMode;
  pushMode?: PushMode;
}

const MAX_NAME = 128;

export class Profiles {
  readonly #c: GroupContext;
  constructor(c: GroupContext) {
    this.#c = c;
  }

  async update(actor: Actor, groupId: number, userId: number, patch: MemberProfilePatch): Promise<Member> {
    const changed = Object.keys(patch).filter((k) => patch[k as keyof MemberProfilePatch] !== undefined);
    if (changed.length === 0) throw fail('invalid_argument', 'nothing to change');
    if (patch.displayName !== undefined && patch.displayName.length > MAX_NAME) throw fail('invalid_argument', `displayName is longer than ${MAX_NAME} characters`);
    checkLine(patch.displayName, 'displayName');
    if (patch.messageMuteMode !== undefined && ![0, 1, 2].includes(patch.messageMuteMode)) throw fail('invalid_argument', 'messageMuteMode must be 0, 1 or 2');
    if (patch.pushMode !== undefined && ![0, 1, 2, 3, 4].includes(patch.pushMode)) throw fail('invalid_argument', 'pushMode must be 0 to 4');
    const c = this.#c;
    return c.mutate(async (tx, emit) => {
      const self = userId === actor.userId;
      const { group, standing } = await c.authorize(tx, actor, groupId, self ? GroupAction.editOwnProfile : GroupAction.editOthersName);
      const target = await tx.groups.members.get(group.id, userId);
      if (!target) throw fail('not_group_member', `user ${userId} is not a member of group ${group.id}`, { userId });
      if (!self) {
        if (patch.messageMuteMode !== undefined || patch.pushMode !== undefined) throw fail('forbidden', "only members set their own notification modes");
        if (!mayActOn(standing, target.role)) throw fail('cannot_act_on_higher_role', 'you may not rename this member');
      } else {
        assertCan(GroupAction.editOwnProfile, standing, group);
      }
      const now = c.now();
      const p = { ...patch, updatedAt: now };
      await tx.groups.members.update(group.id, [userId], p);
      const member = { ...target, ...p };
      emit({ type: 'group.member_updated', appId: group.appId, groupId: group.id, actorId: actor.userId, at: now, audience: patch.displayName !== undefined ? { groupId: group.id } : { users: [userId] }, member, changed });
      return member;
    });
  }

  /** Members among `userIds` (non-members are left out), for display names, join times and mutes. */
  async many(actor: Actor, groupId: number, userIds: readonly number[]): Promise<Member[]> {
    if (userIds.length > 1000) throw fail('invalid_argument', 'at most 1000 users per call');
    const c = this.#c;
    const { group } = await c.authorize(c.d.store, actor, groupId, GroupAction.viewMembers, { allowDismissed: true });
    const found = new Map((await c.d.store.groups.members.getMany(group.id, userIds)).map((m) => [m.userId, m]));
    return [...new Set(userIds)].flatMap((id) => found.get(id) ?? []);
  }
}
