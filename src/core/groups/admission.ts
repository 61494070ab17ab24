// Admission: the one way users become members, shared by every path in
// (direct add, application, invitation, QR code, inviter, business binding).
// It runs inside the caller's transaction on a group row the caller locked,
// so the capacity check and the member_count update are atomic: concurrent
// joins never exceed capacity on either engine.

import { fail, type ErrorCode } from '../errors.ts';
import type { Repositories } from '../ports.ts';
import type { Emit } from './context.ts';
import type { JoinVia } from './events.ts';
import { membershipAudience } from './large-group.ts';
import type { Group, Member, MemberResult } from './model.ts';

export interface AdmitInput {
  group: Group;
  userIds: readonly number[];
  via: JoinVia;
  inviterId: number | null;
  actorId: number | null;
  now: number;
  /** Users known to exist in the app; others fail with user_not_found. */
  known: Set<number>;
}

/** Adds whoever may join; answers per user. Updates `group.memberCount` in place. */
export async function admit(tx: Repositories, emit: Emit, input: AdmitInput): Promise<MemberResult[]> {
  const { group, userIds, now } = input;
  const existing = new Set((await tx.groups.members.getMany(group.id, userIds)).map((m) => m.userId));
  const blocked = new Set((await tx.groups.blocks.getMany(group.id, userIds)).map((b) => b.userId));
  let free = group.capacity - group.memberCount;
  const results: MemberResult[] = [];
  const added: Member[] = [];
  for (const userId of userIds) {
    let reason: string | undefined;
    if (!input.known.has(userId)) reason = 'user_not_found';
    else if (existing.has(userId)) reason = 'already_group_member';
    else if (blocked.has(userId)) reason = 'blocked_from_group';
    else if (free <= 0) reason = 'group_full';
    if (reason) {
      results.push({ userId, ok: false, reason });
      continue;
    }
    free -= 1;
    added.push({
      groupId: group.id,
      userId,
      role: 'member',
      displayName: '',
      joinedAt: now,
      inviterId: input.inviterId,
      mutedUntil: null,
      messageMuteMode: 0,
      pushMode: 0,
      updatedAt: now,
    });
    results.push({ userId, ok: true });
  }
  if (added.length > 0) {
    await tx.groups.members.insertMany(added);
    group.memberCount += added.length;
    await tx.groups.groups.update(group.id, { memberCount: group.memberCount, updatedAt: now });
    const ids = added.map((m) => m.userId);
    const { audience, quiet } = await membershipAudience(tx, group, ids);
    emit({
      type: 'group.members_joined',
      appId: group.appId,
      groupId: group.id,
      actorId: input.actorId,
      at: now,
      audience,
      ...(quiet ? { quiet } : {}),
      userIds: ids,
      via: input.via,
      inviterId: input.inviterId,
      memberCount: group.memberCount,
    });
  }
  return results;
}

/** Admits one user or throws the reason (paths that answer with one error, not a list). */
export async function admitOne(tx: Repositories, emit: Emit, input: Omit<AdmitInput, 'userIds'> & { userId: number }): Promise<void> {
  const [r] = await admit(tx, emit, { ...input, userIds: [input.userId] });
  if (!r.ok) throw fail(r.reason as ErrorCode, reasonText(r.reason ?? '', input.group.id), { groupId: input.group.id, userId: input.userId });
}

function reasonText(reason: string, groupId: number): string {
  switch (reason) {
    case 'already_group_member':
      return `already a member of group ${groupId}`;
    case 'blocked_from_group':
      return `blocked from group ${groupId}`;
    case 'group_full':
      return `group ${groupId} is full`;
    default:
      return 'the user does not exist';
  }
}
