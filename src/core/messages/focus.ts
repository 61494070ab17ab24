// Focus (dtalk "关注消息"): a user marks a message; everyone in the
// conversation sees who did. Private: only the recipient may; groups: any
// member except the sender (dtalk's rules).

import { fail } from '../errors.ts';
import type { MessagingContext, Viewer } from './context.ts';
import { audienceOf } from './model.ts';

export interface FocusState {
  messageId: number;
  count: number;
  /** Whether this call added the caller's mark (false: it was already there). */
  added: boolean;
}

export interface FocusEntry {
  userId: number;
  at: number;
}

async function load(ctx: MessagingContext, appId: number, viewer: Viewer, messageId: number) {
  const record = await ctx.store.messages.get(messageId);
  if (!record || record.appId !== appId) throw fail('message_not_found', `message ${messageId} does not exist`);
  const c = await ctx.conversations.get(record.conversationId);
  if (!c) throw fail('message_not_found', `message ${messageId} does not exist`);
  const scope = await ctx.conversations.scopeOfConversation(appId, viewer, c);
  if (record.createdAt < scope.sinceMs) throw fail('message_not_found', `message ${messageId} does not exist`);
  return { record, c };
}

export async function focus(ctx: MessagingContext, appId: number, userId: number, messageId: number): Promise<FocusState> {
  const { record, c } = await load(ctx, appId, userId, messageId);
  if (record.senderId === userId) throw fail('forbidden', 'the sender cannot focus their own message');
  if (record.revokedAt !== null) throw fail('conflict', `message ${messageId} is revoked`);
  const now = ctx.clock.now();
  const added = await ctx.store.focus.add(messageId, userId, now);
  const count = await ctx.store.focus.count(messageId);
  if (added) ctx.events.emit({ type: 'message.focused', appId, audience: audienceOf(c), conversationId: c.id, messageId, userId, count, at: now });
  return { messageId, count, added };
}

export async function focusList(ctx: MessagingContext, appId: number, viewer: Viewer, messageId: number): Promise<FocusEntry[]> {
  await load(ctx, appId, viewer, messageId);
  return ctx.store.focus.list(messageId);
}
