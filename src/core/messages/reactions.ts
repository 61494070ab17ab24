// Reactions: annotations of a message, not messages. Adding or removing one
// takes no seq; it moves the message to a new stream position (the same
// lock and allocation as a revoke, MessageRepo.reposition), so sync and
// resume carry the message again with its new counts, and every member's
// devices are told live by `message.reacted`. Only readers of a message may
// react, never to a revoked one, within the limits in the settings.

import { decodeCursor, encodeCursor, isPositiveInt } from '../cursor.ts';
import { fail } from '../errors.ts';
import type { Repositories } from '../ports.ts';
import type { MessagingContext, Viewer } from './context.ts';
import { toMessage } from './conversations.ts';
import { validEmoji } from './emoji.ts';
import { audienceOf, type Conversation, type Message } from './model.ts';
import type { MessageRecord, ReactorKey } from './ports.ts';

/** What a reaction change returns: the message with its counts as the caller sees them. */
export interface ReactionResult {
  message: Message;
  /** False when nothing changed (already reacted / never reacted). */
  changed: boolean;
}

export interface ReactorPage {
  items: { userId: number; at: number }[];
  next?: string;
}

/** A readable message of the app, with its conversation, or message_not_found. */
async function readable(ctx: MessagingContext, appId: number, viewer: Viewer, messageId: number): Promise<{ record: MessageRecord; conversation: Conversation }> {
  const record = await ctx.store.messages.get(messageId);
  if (!record || record.appId !== appId) throw fail('message_not_found', `message ${messageId} does not exist`);
  const conversation = await ctx.conversations.get(record.conversationId);
  if (!conversation) throw fail('message_not_found', `message ${messageId} does not exist`);
  const scope = await ctx.conversations.scopeOfConversation(appId, viewer, conversation);
  if (record.createdAt < scope.sinceMs) throw fail('message_not_found', `message ${messageId} does not exist`);
  return { record, conversation };
}

export async function react(ctx: MessagingContext, appId: number, userId: number, messageId: number, rawEmoji: string): Promise<ReactionResult> {
  const emoji = validEmoji(rawEmoji);
  const { record, conversation } = await readable(ctx, appId, userId, messageId);
  if (record.revokedAt !== null) throw revoked(messageId);
  const { settings } = ctx;
  const at = ctx.clock.now();
  const moved = await unlessUnchanged(ctx, async (tx) => {
    // Already there: nothing to store, nothing to tell.
    if ((await tx.reactions.ofUser(messageId, userId)).includes(emoji)) return undefined;
    // The stream lock first: the limits below are checked with every other
    // writer of this message held back, so two reactions cannot both pass.
    const r = await tx.messages.reposition(messageId);
    if (!r) throw revoked(messageId);
    const mine = await tx.reactions.ofUser(messageId, userId);
    if (mine.includes(emoji)) throw new Unchanged(); // added by a concurrent request: undo the move
    if (mine.length >= settings.maxReactionsPerUser) {
      throw fail('too_many_reactions', `you may react with at most ${settings.maxReactionsPerUser} emoji on one message`, { limit: settings.maxReactionsPerUser, scope: 'user' });
    }
    const present = await tx.reactions.emojiOf(messageId);
    if (!present.includes(emoji) && present.length >= settings.maxReactionEmoji) {
      throw fail('too_many_reactions', `a message may carry at most ${settings.maxReactionEmoji} different emoji`, { limit: settings.maxReactionEmoji, scope: 'message' });
    }
    await tx.reactions.add(messageId, userId, emoji, at);
    return r;
  });
  if (!moved) return { message: await annotateOne(ctx, userId, record, conversation), changed: false };
  return { message: await told(ctx, appId, userId, moved, conversation, emoji, true, at), changed: true };
}

export async function unreact(ctx: MessagingContext, appId: number, userId: number, messageId: number, rawEmoji: string): Promise<ReactionResult> {
  const emoji = validEmoji(rawEmoji);
  const { record, conversation } = await readable(ctx, appId, userId, messageId);
  if (record.revokedAt !== null) throw revoked(messageId);
  const at = ctx.clock.now();
  const moved = await unlessUnchanged(ctx, async (tx) => {
    if (!(await tx.reactions.ofUser(messageId, userId)).includes(emoji)) return undefined;
    const r = await tx.messages.reposition(messageId);
    if (!r) throw revoked(messageId);
    // Removed by a concurrent request of the same user: roll the move back.
    if (!(await tx.reactions.remove(messageId, userId, emoji))) throw new Unchanged();
    return r;
  });
  if (!moved) return { message: await annotateOne(ctx, userId, record, conversation), changed: false };
  return { message: await told(ctx, appId, userId, moved, conversation, emoji, false, at), changed: true };
}

/** Thrown inside a transaction to undo a move that turned out to change nothing. */
class Unchanged extends Error {}

/** Runs `fn` in a transaction; one that threw Unchanged is rolled back and answers undefined. */
async function unlessUnchanged(ctx: MessagingContext, fn: (tx: Repositories) => Promise<MessageRecord | undefined>): Promise<MessageRecord | undefined> {
  try {
    return await ctx.store.transaction(fn);
  } catch (e) {
    if (e instanceof Unchanged) return undefined;
    throw e;
  }
}

/** Emits `message.reacted` with the new counts; returns the message as the reactor sees it. */
async function told(ctx: MessagingContext, appId: number, userId: number, moved: MessageRecord, c: Conversation, emoji: string, added: boolean, at: number): Promise<Message> {
  const message = await annotateOne(ctx, userId, moved, c);
  ctx.events.emit({
    type: 'message.reacted',
    appId,
    audience: audienceOf(c),
    conversationId: c.id,
    groupId: c.groupId,
    messageId: moved.id,
    pos: moved.pos,
    userId,
    emoji,
    added,
    reactions: message.reactions.map(({ emoji: e, count }) => ({ emoji: e, count })),
    mine: message.reactions.filter((r) => r.me).map((r) => r.emoji),
    at,
  });
  return message;
}

/** Who reacted with one emoji, oldest first, paged by `cursor`. */
export async function reactors(ctx: MessagingContext, appId: number, viewer: Viewer, messageId: number, rawEmoji: string, q: { limit?: number; cursor?: string }): Promise<ReactorPage> {
  const emoji = validEmoji(rawEmoji);
  const { record } = await readable(ctx, appId, viewer, messageId);
  if (record.revokedAt !== null) return { items: [] };
  const limit = Math.min(q.limit ?? 50, ctx.settings.maxPage);
  if (!Number.isSafeInteger(limit) || limit < 1) throw fail('invalid_argument', 'limit must be a positive integer', { field: 'limit' });
  const after = q.cursor === undefined ? undefined : decodeCursor(q.cursor, isReactorKey);
  const rows = await ctx.store.reactions.reactors(messageId, emoji, after, limit + 1);
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, ...(rows.length > limit && last ? { next: encodeCursor({ at: last.at, userId: last.userId }) } : {}) };
}

const isReactorKey = (v: unknown): v is ReactorKey => typeof v === 'object' && v !== null && isPositiveInt((v as ReactorKey).at) && isPositiveInt((v as ReactorKey).userId);

/**
 * Fills in reactions (with `me` for `viewer`) and pins of messages about to
 * be returned, in two queries whatever the page size. Revoked messages keep
 * none.
 */
export async function annotate<T extends Message>(ctx: MessagingContext, viewer: Viewer, messages: T[]): Promise<T[]> {
  const ids = messages.filter((m) => m.revokedAt === null).map((m) => m.id);
  if (ids.length === 0) return messages;
  const [counts, pins] = await Promise.all([ctx.store.reactions.counts(ids, viewer), ctx.store.pins.getMany(ids)]);
  for (const m of messages) {
    m.reactions = counts.get(m.id) ?? [];
    const pin = pins.get(m.id);
    m.pinned = pin ? { by: pin.pinnedBy, at: pin.pinnedAt } : null;
  }
  return messages;
}

async function annotateOne(ctx: MessagingContext, viewer: Viewer, r: MessageRecord, c: Conversation): Promise<Message> {
  const [m] = await annotate(ctx, viewer, [toMessage(r, c)]);
  return m as Message;
}

const revoked = (messageId: number) => fail('conflict', `message ${messageId} is revoked`, { reason: 'message_revoked' });
