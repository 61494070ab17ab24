// Revoke: the sender within the revoke window; in groups the owner at any
// time, and admins at any time except on the owner's messages (dtalk's rule).
// The message becomes a revoke marker in place (same id and seq, new stream
// position, so sync tells every device), and every recipient is told.

import { fail, isParleyError } from '../errors.ts';
import type { GroupRole } from '../groups/gate.ts';
import type { Repositories } from '../ports.ts';
import { rulesOf, RuleSet, type MessagingContext } from './context.ts';
import { toMessage } from './conversations.ts';
import { audienceOf, MessageType, type Conversation, type Message } from './model.ts';
import type { MessageRecord } from './ports.ts';
import type { MessageRevoked } from './events.ts';

export async function revoke(ctx: MessagingContext, appId: number, operatorId: number, messageId: number, rules: RuleSet = RuleSet.native): Promise<Message> {
  const record = await ctx.store.messages.get(messageId);
  if (!record || record.appId !== appId) throw fail('message_not_found', `message ${messageId} does not exist`);
  const c = await ctx.conversations.get(record.conversationId);
  if (!c) throw fail('message_not_found', `message ${messageId} does not exist`);
  const scope = await ctx.conversations.scopeOfConversation(appId, operatorId, c);
  if (record.createdAt < scope.sinceMs) throw fail('message_not_found', `message ${messageId} does not exist`);
  if (record.revokedAt !== null) throw fail('conflict', `message ${messageId} is already revoked`);
  await authorise(ctx, c, record, operatorId, scope.group?.role, rulesOf(ctx.settings, rules).revokeWindowSeconds);

  const now = ctx.clock.now();
  // The index row goes in the same transaction: a revoked message is never found.
  // So is the revoke's webhook delivery (the outbox).
  const updated = await ctx.store.transaction(async (tx) => {
    const r = await tx.messages.revoke(messageId, { type: MessageType.revoked, body: { originalType: record.type, by: operatorId }, at: now, by: operatorId });
    if (!r) return undefined;
    await tx.search.remove([messageId]);
    // A revoked message keeps no reactions and is no longer pinned (pins.ts).
    const unpinned = await dropAnnotations(tx, messageId);
    const event: MessageRevoked = { type: 'message.revoked', appId, audience: audienceOf(c), message: toMessage(r, c), operatorId };
    await ctx.outbox.record(tx, [event]);
    return { event, unpinned };
  });
  if (!updated) throw fail('conflict', `message ${messageId} is already revoked`);
  ctx.events.emit(updated.event);
  if (updated.unpinned) ctx.events.emit({ type: 'message.unpinned', appId, audience: audienceOf(c), conversationId: c.id, groupId: c.groupId, messageId, actorId: operatorId, reason: 'revoked', at: now });
  return updated.event.message;
}

/** Removes the message's reactions and pin; true when it was pinned. */
async function dropAnnotations(tx: Repositories, messageId: number): Promise<boolean> {
  await tx.reactions.removeAll(messageId);
  return (await tx.pins.remove(messageId)) !== undefined;
}

async function authorise(ctx: MessagingContext, c: Conversation, m: MessageRecord, operatorId: number, role: GroupRole | undefined, windowSeconds: number): Promise<void> {
  const withinWindow = ctx.clock.now() - m.createdAt <= windowSeconds * 1000;
  const isSender = m.senderId === operatorId;
  if (isSender && withinWindow) return;
  if (c.kind === 'group') {
    if (role === 'owner') return;
    if (role === 'admin' && !isSender && (await roleOf(ctx, c, m.senderId)) !== 'owner') return;
    if (role === 'admin' && isSender) return;
  }
  if (isSender) throw fail('revoke_window_passed', `messages can be revoked within ${windowSeconds} seconds of sending`);
  if (c.kind === 'group') throw fail('group_admin_required', "only the group's owner or admins may revoke others' messages");
  throw fail('forbidden', 'only the sender may revoke a private message');
}

async function roleOf(ctx: MessagingContext, c: Conversation, userId: number | null): Promise<GroupRole | undefined> {
  if (userId === null) return undefined;
  try {
    return (await ctx.gate.readAccess(c.appId, c.groupId as number, userId)).role;
  } catch (e) {
    if (isParleyError(e)) return undefined; // the sender left: an ordinary former member
    throw e;
  }
}
