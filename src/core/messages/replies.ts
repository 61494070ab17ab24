// Replies: a message may quote another message of its conversation and name
// its thread's root (dtalk `reference {topic, ref}`). The quote a reader gets
// is built from the quoted message as it is NOW, when the reply is read: an
// edit shows its latest text, and a revoked message shows as revoked in every
// reply, its text never shown again. Nothing is copied into the reply, so
// there is nothing to keep current.

import { fail } from '../errors.ts';
import type { MessagingContext } from './context.ts';
import { MessageType, type Conversation, type Message, type ReplySummary } from './model.ts';
import type { MessageRecord } from './ports.ts';

/** Characters of a quoted text shown in the quote. */
export const EXCERPT_CHARS = 100;

/** The quote of `quoted` as a reader sees it; `visibleSinceMs`: the reader's history starts there. */
export function summaryOf(quoted: MessageRecord, visibleSinceMs = 0): ReplySummary {
  if (quoted.revokedAt !== null) return { id: quoted.id, senderId: quoted.senderId, type: MessageType.revoked, excerpt: '', revoked: true };
  const shown: ReplySummary = { id: quoted.id, senderId: quoted.senderId, type: quoted.type, excerpt: excerptOf(quoted) };
  return quoteHiddenFrom(quoted.createdAt, visibleSinceMs) ? hiddenQuote(shown) : shown;
}

/** Whether a reader whose history starts at `visibleSinceMs` may not see a quote of a message from `quotedAt`. */
export function quoteHiddenFrom(quotedAt: number, visibleSinceMs: number): boolean {
  return quotedAt < visibleSinceMs;
}

/**
 * The quoted message's time when some members may not read it: `message`
 * shows the quote of `quoted` in a group that hides history from new members.
 * Its live push then hides the quote from those who joined later (events.ts).
 */
export function quotedAtForPush(message: Message, quoted: MessageRecord | undefined, historyVisible: boolean): number | undefined {
  const q = message.replyTo;
  return !historyVisible && quoted && q && q.id === quoted.id && !q.revoked && !q.hidden ? quoted.createdAt : undefined;
}

/** The quote as a reader who may not read the quoted message sees it: which message, nothing of it. */
export function hiddenQuote(q: ReplySummary): ReplySummary {
  return { id: q.id, senderId: null, type: q.type, excerpt: '', hidden: true };
}

function excerptOf(m: MessageRecord): string {
  const text = typeof m.body.text === 'string' ? m.body.text : '';
  if ((m.type === MessageType.text || m.type === MessageType.notice) && text !== '') {
    // By code point, so a surrogate pair (emoji) is never cut in half.
    const chars = [...text.replace(/\s+/g, ' ').trim()];
    return chars.length > EXCERPT_CHARS ? `${chars.slice(0, EXCERPT_CHARS - 1).join('')}…` : chars.join('');
  }
  return `[${m.type}]`;
}

/**
 * Attaches the quote to every reply among `items` (one read for the whole
 * page). `sinceOf` gives the reader's visible start per conversation, so a
 * reply never shows a message the reader may not read.
 */
export async function withReplies<T extends Message>(ctx: MessagingContext, items: readonly T[], sinceOf: (conversationId: number) => number = () => 0): Promise<T[]> {
  const ids = items.filter((m) => m.replyToId !== null && m.revokedAt === null).map((m) => m.replyToId as number);
  if (ids.length === 0) return [...items];
  const quoted = new Map((await ctx.store.messages.getMany(ids)).map((r) => [r.id, r]));
  return items.map((m) => {
    const q = m.replyToId !== null && m.revokedAt === null ? quoted.get(m.replyToId) : undefined;
    return q && q.conversationId === m.conversationId ? { ...m, replyTo: summaryOf(q, sinceOf(m.conversationId)) } : m;
  });
}

/** What a send names: the quoted message and the thread root, checked. */
export interface ReplyTarget {
  replyToId: number | null;
  threadRootId: number | null;
  /** The quoted message, for the quote of the live push. */
  quoted: MessageRecord | undefined;
  /** The conversation hides history from new members: those who joined after the quoted message get its quote hidden. */
  historyHidden: boolean;
}

/**
 * Checks that the quoted message and the thread root are messages of this
 * conversation that the sender may read (`access.visibleSinceMs`: their
 * history starts there), so a quote can never reveal another conversation or hidden
 * history.
 */
export async function replyTargetOf(ctx: MessagingContext, c: Conversation, replyTo: unknown, threadRootId: unknown, access: { visibleSinceMs: number; historyVisible: boolean }, mustResolve: boolean): Promise<ReplyTarget> {
  const quoted = await referenced(ctx, c, replyTo, 'replyTo', access.visibleSinceMs, mustResolve);
  const root = await referenced(ctx, c, threadRootId, 'threadRootId', access.visibleSinceMs, mustResolve);
  return { replyToId: quoted?.id ?? null, threadRootId: root?.id ?? null, quoted, historyHidden: !access.historyVisible };
}

async function referenced(ctx: MessagingContext, c: Conversation, id: unknown, field: string, visibleSinceMs: number, mustResolve: boolean): Promise<MessageRecord | undefined> {
  if (id === undefined || id === null) return undefined;
  if (!Number.isSafeInteger(id) || (id as number) < 1) {
    if (!mustResolve) return undefined;
    throw fail('invalid_argument', `${field} must be a message id`, { field });
  }
  const m = await ctx.store.messages.get(id as number);
  if (!m || m.conversationId !== c.id || m.createdAt < visibleSinceMs) {
    if (!mustResolve) return undefined;
    throw fail('invalid_argument', `${field} ${String(id)} is not a message of this conversation`, { field });
  }
  return m;
}
