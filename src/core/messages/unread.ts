// Unread counts a reader can trust. The arithmetic is per conversation: the
// messages after the reader's read position (one small row, forward only),
// minus what must never count for them: their own messages, revoked ones,
// server notices (joins, renames) and history from before they could see it.
// Joining a group moves the newcomer's position to the join (see
// group-notices.ts), so earlier history is never "new". Only the unread tail
// is read, and only up to UNREAD_CAP rows: a conversation with more shows
// the cap, never a wrong small number.

import type { MessagingContext } from './context.ts';
import type { Conversation, MessageBody } from './model.ts';

/** Counts stop here ("999+" in a client); a tail this long is read at most once per conversation listing. */
export const UNREAD_CAP = 999;

export interface UnreadCounts {
  /** Messages after the read position that count for this reader (at most UNREAD_CAP). */
  unread: number;
  /** Of those, the ones that mention the reader by id or mention everyone. */
  mentions: number;
}

/** Whether a message body mentions `userId` (its id in `mentions`, or `mentionAll`). */
export function mentionsUser(body: MessageBody, userId: number): boolean {
  if (body.mentionAll === true) return true;
  return Array.isArray(body.mentions) && body.mentions.includes(userId);
}

export async function unreadCounts(ctx: MessagingContext, c: Conversation, readerId: number, readSeq: number, sinceMs: number): Promise<UnreadCounts> {
  if (readSeq >= c.lastSeq) return { unread: 0, mentions: 0 };
  const tail = await ctx.store.messages.unreadTail({ conversationId: c.id, afterSeq: readSeq, readerId, sinceMs, limit: UNREAD_CAP });
  return { unread: tail.count, mentions: tail.mentionCandidates.filter((b) => mentionsUser(b, readerId)).length };
}
