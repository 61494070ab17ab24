// Pins: a conversation's pinned messages. In a group the owner and admins
// pin and unpin; in a private chat either side does. A pin moves the message
// to a new stream position (MessageRepo.reposition, the revoke's lock), so a
// device that was offline sees `pinned` change through sync; a group also
// gets a notice, like other group changes, and every device is told live by
// `message.pinned` / `message.unpinned`. Revoking a message unpins it
// (revoke.ts).

import { decodeCursor, encodeCursor, isPositiveInt } from '../cursor.ts';
import { fail } from '../errors.ts';
import type { DomainEvent } from '../events.ts';
import type { Repositories } from '../ports.ts';
import type { ConversationTarget, MessagingContext, Viewer } from './context.ts';
import { toMessage } from './conversations.ts';
import { recordNotices } from './group-notices.ts';
import { audienceOf, type Conversation, type Message } from './model.ts';
import type { MessageRecord } from './ports.ts';
import { annotate } from './reactions.ts';

export interface PinnedItem {
  pinnedBy: number;
  pinnedAt: number;
  message: Message;
}

export interface PinPage {
  items: PinnedItem[];
  next?: string;
}

/** The message and its conversation, if `userId` may pin or unpin it. */
async function pinnable(ctx: MessagingContext, appId: number, userId: number, messageId: number): Promise<{ record: MessageRecord; conversation: Conversation }> {
  const record = await ctx.store.messages.get(messageId);
  if (!record || record.appId !== appId) throw fail('message_not_found', `message ${messageId} does not exist`);
  const conversation = await ctx.conversations.get(record.conversationId);
  if (!conversation) throw fail('message_not_found', `message ${messageId} does not exist`);
  const scope = await ctx.conversations.scopeOfConversation(appId, userId, conversation);
  if (record.createdAt < scope.sinceMs) throw fail('message_not_found', `message ${messageId} does not exist`);
  if (conversation.kind === 'group' && scope.group?.role !== 'owner' && scope.group?.role !== 'admin') {
    throw fail('group_admin_required', "only the group's owner or admins may pin or unpin messages");
  }
  return { record, conversation };
}

export async function pin(ctx: MessagingContext, appId: number, userId: number, messageId: number): Promise<Message> {
  const { record, conversation: c } = await pinnable(ctx, appId, userId, messageId);
  if (record.revokedAt !== null) throw fail('conflict', `message ${messageId} is revoked`, { reason: 'message_revoked' });
  const at = ctx.clock.now();
  const { maxPins } = ctx.settings;
  const done = await unlessUnchanged(ctx, async (tx) => {
    if ((await tx.pins.getMany([messageId])).has(messageId)) throw new Unchanged();
    const moved = await tx.messages.reposition(messageId); // the stream lock: the count below cannot race
    if (!moved) throw fail('conflict', `message ${messageId} is revoked`, { reason: 'message_revoked' });
    if ((await tx.pins.count(c.id)) >= maxPins) throw fail('too_many_pins', `a conversation may have at most ${maxPins} pinned messages`, { limit: maxPins });
    if (!(await tx.pins.add({ messageId, conversationId: c.id, pinnedBy: userId, pinnedAt: at }))) throw new Unchanged();
    return { moved, notices: await noticesIn(ctx, tx, c, 'message.pinned', messageId, userId, at) };
  });
  if (!done) return (await annotate(ctx, userId, [toMessage(record, c)]))[0] as Message;
  const [forAll] = await annotate(ctx, null, [toMessage(done.moved, c)]);
  ctx.events.emit({ type: 'message.pinned', appId, audience: audienceOf(c), conversationId: c.id, groupId: c.groupId, messageId, actorId: userId, message: forAll as Message, at });
  for (const e of done.notices) ctx.events.emit(e);
  return (await annotate(ctx, userId, [toMessage(done.moved, c)]))[0] as Message;
}

export async function unpin(ctx: MessagingContext, appId: number, userId: number, messageId: number): Promise<Message> {
  const { record, conversation: c } = await pinnable(ctx, appId, userId, messageId);
  const at = ctx.clock.now();
  const done = await unlessUnchanged(ctx, async (tx) => {
    if (!(await tx.pins.getMany([messageId])).has(messageId)) throw new Unchanged();
    const moved = await tx.messages.reposition(messageId);
    // A revoked message has no pin (revoke removed it); nothing is left to do.
    if (!moved || !(await tx.pins.remove(messageId))) throw new Unchanged();
    return { moved, notices: await noticesIn(ctx, tx, c, 'message.unpinned', messageId, userId, at) };
  });
  if (!done) return (await annotate(ctx, userId, [toMessage(record, c)]))[0] as Message;
  ctx.events.emit({ type: 'message.unpinned', appId, audience: audienceOf(c), conversationId: c.id, groupId: c.groupId, messageId, actorId: userId, reason: 'unpinned', at });
  for (const e of done.notices) ctx.events.emit(e);
  return (await annotate(ctx, userId, [toMessage(done.moved, c)]))[0] as Message;
}

/** A group's pin notice, written in the pin's own transaction; private chats get none. */
async function noticesIn(ctx: MessagingContext, tx: Repositories, c: Conversation, type: 'message.pinned' | 'message.unpinned', messageId: number, actorId: number, at: number): Promise<DomainEvent[]> {
  if (c.kind !== 'group') return [];
  // Only the fields group-notices.ts keeps matter here; the full event is emitted after commit.
  const draft = { type, appId: c.appId, groupId: c.groupId, messageId, actorId, reason: 'unpinned', at } as unknown as DomainEvent;
  return recordNotices(ctx, tx, [draft]);
}

class Unchanged extends Error {}

async function unlessUnchanged<T>(ctx: MessagingContext, fn: (tx: Repositories) => Promise<T>): Promise<T | undefined> {
  try {
    return await ctx.store.transaction(fn);
  } catch (e) {
    if (e instanceof Unchanged) return undefined;
    throw e;
  }
}

/** The conversation's pinned messages the viewer may read, newest pin first. */
export async function pinsOf(ctx: MessagingContext, appId: number, viewer: Viewer, target: ConversationTarget, q: { limit?: number; cursor?: string }): Promise<PinPage> {
  const limit = Math.min(q.limit ?? 50, ctx.settings.maxPage);
  if (!Number.isSafeInteger(limit) || limit < 1) throw fail('invalid_argument', 'limit must be a positive integer', { field: 'limit' });
  const before = q.cursor === undefined ? undefined : decodeCursor(q.cursor, isPinKey);
  const scope = await ctx.conversations.scopeOf(appId, viewer, target);
  if (!scope.conversation) return { items: [] };
  const c = scope.conversation;
  const pins = await ctx.store.pins.list(c.id, before, limit + 1);
  const page = pins.slice(0, limit);
  const records = await Promise.all(page.map((p) => ctx.store.messages.get(p.messageId)));
  const items: PinnedItem[] = [];
  page.forEach((p, i) => {
    const r = records[i];
    if (r && r.createdAt >= scope.sinceMs) items.push({ pinnedBy: p.pinnedBy, pinnedAt: p.pinnedAt, message: toMessage(r, c) });
  });
  await annotate(ctx, viewer, items.map((i) => i.message));
  const last = page[page.length - 1];
  return { items, ...(pins.length > limit && last ? { next: encodeCursor({ at: last.pinnedAt, messageId: last.messageId }) } : {}) };
}

const isPinKey = (v: unknown): v is { at: number; messageId: number } => typeof v === 'object' && v !== null && isPositiveInt((v as { at: number }).at) && isPositiveInt((v as { messageId: number }).messageId);
