// Group events become notices in the group's conversation, so members who
// were offline learn of them through history and sync like any message (the
// live event itself is pushed by the gateway). They are written inside the
// group change's own transaction (core.ts wires recordNotices into the
// groups core): a notice commits with its change or not at all, and takes
// its seq in commit order. Which events become notices follows dtalk's
// notice types (name, join, leave, kick, dismiss, mute-all, member mute,
// owner) plus role changes.

import type { DomainEvent } from '../events.ts';
import type { Repositories } from '../ports.ts';
import type { MessagingContext } from './context.ts';
import { toMessage } from './conversations.ts';
import { audienceOf, type Conversation } from './model.ts';
import type { Appendable, MessageRecord } from './ports.ts';
import { validateMessage } from './validation.ts';

export interface NoticeInput {
  /** What happened, e.g. `group.members_joined`, `group.updated` (dialects map it to their notice types). */
  kind: string;
  text?: string;
  data?: unknown;
}

/** The group events recorded as notices, and the event fields each keeps. */
const NOTICED: Record<string, readonly string[]> = {
  'group.created': [],
  'group.updated': ['changed'],
  'group.dismissed': [],
  'group.owner_transferred': ['fromUserId', 'toUserId'],
  'group.members_joined': ['userIds', 'via', 'inviterId'],
  'group.member_left': ['userId'],
  'group.members_removed': ['userIds', 'reason'],
  'group.roles_changed': ['userIds', 'role'],
  'group.members_muted': ['userIds', 'mutedUntil'],
  'group.members_unmuted': ['userIds'],
  // Pins are a group change people are told of like the others (pins.ts).
  'message.pinned': ['messageId'],
  'message.unpinned': ['messageId', 'reason'],
};
// Group fields worth carrying when a group.updated names them.
const GROUP_FIELDS = ['name', 'publicName', 'avatar', 'muteAllUntil', 'joinPolicy'];

/**
 * A notice names at most this many users; `count` is always the total and
 * `more` the rest ("Ann, Bo … and 1,979 others"). A notice must never make a
 * valid change fail: listing 2,000 ids would pass the message size limit.
 */
export const NOTICE_MAX_NAMED = 20;

/** The notice for a group event, or undefined when the event is not recorded (quiet joins and leaves of large groups). */
function noticeOf(event: DomainEvent): { appId: number; groupId: number; notice: NoticeInput } | undefined {
  const e = event as unknown as Record<string, unknown> & { type: string; appId: number };
  const keep = NOTICED[e.type];
  if (!keep || typeof e.groupId !== 'number' || e.quiet === true) return undefined;
  const data: Record<string, unknown> = { actorId: e.actorId ?? null };
  for (const k of keep) if (e[k] !== undefined) data[k] = e[k];
  if (Array.isArray(data.userIds)) {
    const all = data.userIds as unknown[];
    data.userIds = all.slice(0, NOTICE_MAX_NAMED);
    data.count = all.length;
    data.more = Math.max(0, all.length - NOTICE_MAX_NAMED);
  }
  if (e.type === 'group.updated' && Array.isArray(e.changed) && typeof e.group === 'object' && e.group !== null) {
    const g = e.group as Record<string, unknown>;
    for (const f of GROUP_FIELDS) if ((e.changed as unknown[]).includes(f) && g[f] !== undefined) data[f] = g[f];
  }
  return { appId: e.appId, groupId: e.groupId, notice: { kind: e.type, data } };
}

/**
 * Stores the notices of a group change's events in `tx`, the change's own
 * transaction; returns the message.sent events to emit after it commits.
 */
export async function recordNotices(ctx: MessagingContext, tx: Repositories, events: readonly DomainEvent[]): Promise<DomainEvent[]> {
  const notices: { item: Appendable; conversation: Conversation; newcomers: readonly number[] }[] = [];
  for (const e of events) {
    const newcomers = e.type === 'group.members_joined' ? e.userIds : [];
    if (e.type === 'group.members_joined' && e.quiet) await startQuietNewcomers(ctx, tx, e.appId, e.groupId, newcomers);
    const n = noticeOf(e);
    if (!n) continue;
    const body: Record<string, unknown> = { kind: n.notice.kind };
    if (n.notice.text !== undefined) body.text = n.notice.text;
    if (n.notice.data !== undefined) body.data = n.notice.data;
    const valid = validateMessage({ type: 'notice', body }, ctx.settings, { serverWritten: true });
    const conversation = await ctx.conversations.ofGroupIn(tx, n.appId, n.groupId);
    notices.push({
      conversation,
      item: { id: ctx.ids.next(), appId: conversation.appId, conversationId: conversation.id, senderId: null, clientId: valid.clientId, type: valid.type, body: valid.body, ext: valid.ext, createdAt: ctx.clock.now() },
      newcomers,
    });
  }
  if (notices.length === 0) return [];
  const outcomes = await tx.messages.append(notices.map((n) => n.item));
  await startNewcomersAtTheirJoin(tx, outcomes.map((o, i) => ({ stored: o.stored, newcomers: notices[i].newcomers })));
  return outcomes.map((o, i) => {
    const { conversation } = notices[i];
    return { type: 'message.sent', appId: conversation.appId, audience: audienceOf(conversation), message: toMessage(o.stored, conversation) };
  });
}

/**
 * A member who joins has read everything before their join notice: earlier
 * history (visible or not) is never "unread" to them. One read-position row
 * per newcomer, written with the join itself. The newcomers come from the
 * event, not the notice, which names only the first few.
 */
async function startNewcomersAtTheirJoin(tx: Repositories, joins: readonly { stored: MessageRecord; newcomers: readonly number[] }[]): Promise<void> {
  for (const { stored, newcomers } of joins) {
    if (newcomers.length > 0) await tx.readPositions.advanceMany(stored.conversationId, [...new Set(newcomers)], stored.seq, stored.createdAt);
  }
}

/** A quiet join has no notice: its newcomers start at the conversation's last message instead. */
async function startQuietNewcomers(ctx: MessagingContext, tx: Repositories, appId: number, groupId: number, newcomers: readonly number[]): Promise<void> {
  const conversation = await ctx.conversations.ofGroupIn(tx, appId, groupId);
  const lastSeq = (await tx.conversations.get(conversation.id))?.lastSeq ?? 0;
  if (lastSeq > 0 && newcomers.length > 0) await tx.readPositions.advanceMany(conversation.id, [...new Set(newcomers)], lastSeq, ctx.clock.now());
}
