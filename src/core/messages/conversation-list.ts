// The conversation list: the user's conversations, newest activity first,
// each with its name and avatar (the group's, or the peer's), the caller's
// read position, unread and mention counts and the last message. A user may
// be in a thousand conversations, so nothing here is read per conversation:
// read positions, last messages, groups, peers and unread tails are each
// read for the whole page in a few statements. Only the visibility of a
// group that hides history from newcomers is asked per group, through the
// cached gate, and only where something is unread.

import type { MessagingContext } from './context.ts';
import { toMessage } from './conversations.ts';
import type { Conversation, Message } from './model.ts';
import type { UnreadTailQuery } from './ports.ts';
import { UNREAD_CAP, mentionsUser } from './unread.ts';

export interface ConversationSummary {
  conversation: Conversation;
  /** Private conversations: the other user. */
  peerId: number | null;
  /** The group's name and avatar, or the peer's display name and avatar ('' when unset or gone). */
  name: string;
  avatar: string;
  readSeq: number;
  /** Unread messages that count for the user, and those mentioning them (see unread.ts). */
  unread: number;
  mentions: number;
  lastMessage: Message | null;
}

/** A page of the list: `limit` conversations with activity before `beforePos` (a lastPos of the previous page), if given. */
export async function conversationList(ctx: MessagingContext, appId: number, userId: number, limit: number, beforePos?: number): Promise<ConversationSummary[]> {
  const { store, gate } = ctx;
  const groupIds = await gate.groupIdsOf(appId, userId);
  const list = (await store.conversations.listForUser(appId, userId, groupIds, limit, beforePos)).filter((c) => c.lastSeq > 0);
  if (list.length === 0) return [];
  const peerOf = (c: Conversation) => (c.kind === 'private' ? (c.userA === userId ? c.userB : c.userA) : null);

  const [reads, lasts, groups, peers] = await Promise.all([
    store.readPositions.getForUser(userId, list.map((c) => c.id)),
    store.messages.lastOf(list.map((c) => ({ conversationId: c.id, seq: c.lastSeq }))),
    store.groups.groups.getMany(list.flatMap((c) => (c.groupId === null ? [] : [c.groupId]))),
    store.users.getMany(list.flatMap((c) => peerOf(c) ?? [])),
  ]);
  const lastById = new Map(lasts.map((m) => [m.conversationId, m]));
  const groupById = new Map(groups.map((g) => [g.id, g]));
  const peerById = new Map(peers.map((u) => [u.id, u]));

  const tails: UnreadTailQuery[] = [];
  for (const c of list) {
    const readSeq = reads.get(c.id) ?? 0;
    if (readSeq >= c.lastSeq) continue;
    const group = c.groupId === null ? undefined : groupById.get(c.groupId);
    const sinceMs = group && !group.historyVisible ? (await gate.readAccess(appId, group.id, userId)).visibleSinceMs : 0;
    tails.push({ conversationId: c.id, afterSeq: readSeq, readerId: userId, sinceMs, limit: UNREAD_CAP });
  }
  const unread = await store.messages.unreadTails(tails);

  return list.map((c) => {
    const peerId = peerOf(c);
    const group = c.groupId === null ? undefined : groupById.get(c.groupId);
    const peer = peerId === null ? undefined : peerById.get(peerId);
    const tail = unread.get(c.id);
    const last = lastById.get(c.id);
    return {
      conversation: c,
      peerId,
      name: group?.name ?? peer?.displayName ?? '',
      avatar: group?.avatar ?? peer?.avatar ?? '',
      readSeq: reads.get(c.id) ?? 0,
      unread: tail?.count ?? 0,
      mentions: tail?.mentionCandidates.filter((b) => mentionsUser(b, userId)).length ?? 0,
      lastMessage: last ? toMessage(last, c) : null,
    };
  });
}
