// Sending: check the rules, validate, hand the send to the group-commit
// writer, and announce it once it is committed. A resend with the same client
// id returns the original message and announces nothing.

import { rulesOf, RuleSet, type MessagingContext, type ConversationTarget } from './context.ts';
import { toMessage } from './conversations.ts';
import { audienceOf, type Conversation, type Message, type MessageInput } from './model.ts';
import type { SendLane, Turn } from './send-lane.ts';
import { quotedAtForPush, replyTargetOf, summaryOf, withReplies, type ReplyTarget } from './replies.ts';
import { validateMessage } from './validation.ts';

export interface SendResult {
  message: Message;
  /** True when this was a resend of a message already stored (same client id). */
  duplicate: boolean;
}

/**
 * Sends in a lane (see send-lane.ts) are stored in the order they were made;
 * the checks of several sends still run side by side.
 */
export async function send(ctx: MessagingContext, appId: number, senderId: number, target: ConversationTarget, input: MessageInput, lane?: SendLane, rules: RuleSet = RuleSet.native): Promise<SendResult> {
  const turn = lane?.take();
  try {
    const valid = validateMessage(input, rulesOf(ctx.settings, rules), { serverWritten: false });
    let conversation: Conversation;
    if ('groupId' in target) {
      await ctx.gate.assertCanPost(appId, target.groupId, senderId);
      conversation = await ctx.conversations.ofGroup(appId, target.groupId);
    } else {
      conversation = await ctx.conversations.ofPair(appId, senderId, target.userId);
    }
    const reply = await replyOf(ctx, conversation, senderId, input, rulesOf(ctx.settings, rules).repliesMustResolve);
    // The app's moderation hook, before the message queues for its transaction (no transaction waits on HTTP).
    const checked = ctx.beforeSend ? await moderated(ctx, appId, senderId, conversation, valid, rules) : valid;
    if (turn) await turn.previous;
    return await append(ctx, conversation, senderId, checked, turn, reply);
  } finally {
    turn?.release();
  }
}

/** The message as the app's moderation hook left it; a replaced text is held to the same limits. */
async function moderated(ctx: MessagingContext, appId: number, senderId: number, conversation: Conversation, valid: ReturnType<typeof validateMessage>, rules: RuleSet): Promise<ReturnType<typeof validateMessage>> {
  const checked = await (ctx.beforeSend as NonNullable<MessagingContext['beforeSend']>)(appId, senderId, conversation, valid);
  if (checked === valid) return valid;
  return validateMessage(checked, rulesOf(ctx.settings, rules), { serverWritten: false });
}

/** What a call record needs of a finished call (core/calls CallView). */
export interface FinishedCall {
  id: number;
  appId: number;
  callerId: number;
  groupId: number | null;
  media: string;
  status: string;
  stopReason: string | null;
  answeredAt: number | null;
  endedAt: number | null;
  parties: readonly { userId: number; role: string }[];
}

/**
 * Records a finished call in its conversation (the group's, or the caller's
 * private chat with the invitee), sent by the caller: clients show "call,
 * 3:12" or "missed call" in the history (dtalk RTCCall).
 */
export async function recordCall(ctx: MessagingContext, call: FinishedCall): Promise<Message | undefined> {
  let conversation: Conversation;
  if (call.groupId !== null) conversation = await ctx.conversations.ofGroup(call.appId, call.groupId);
  else {
    const peer = call.parties.find((p) => p.userId !== call.callerId);
    if (!peer) return undefined;
    conversation = await ctx.conversations.ofPair(call.appId, call.callerId, peer.userId);
  }
  const body: Record<string, unknown> = {
    callId: call.id,
    media: call.media,
    status: call.status,
    parties: call.parties.map((p) => p.userId),
    invitees: call.parties.filter((p) => p.userId !== call.callerId).map((p) => p.userId),
    answered: call.answeredAt !== null,
    // 0 when nobody answered ("missed call").
    durationMs: call.answeredAt !== null && call.endedAt !== null ? Math.max(0, call.endedAt - call.answeredAt) : 0,
  };
  if (call.stopReason !== null) body.reason = call.stopReason;
  if (call.answeredAt !== null) body.answeredAt = call.answeredAt;
  if (call.endedAt !== null) body.endedAt = call.endedAt;
  // The call id makes the record idempotent: a retried hook stores it once.
  const valid = validateMessage({ type: 'call', body, clientId: `call:${call.id}` }, ctx.settings, { serverWritten: true });
  return (await append(ctx, conversation, call.callerId, valid)).message;
}

/** A send's quote and thread root, checked against what the sender may read (replies.ts). */
async function replyOf(ctx: MessagingContext, c: Conversation, senderId: number, input: MessageInput, mustResolve: boolean): Promise<ReplyTarget | undefined> {
  if ((input.replyTo === undefined || input.replyTo === null) && (input.threadRootId === undefined || input.threadRootId === null)) return undefined;
  const access = c.kind === 'group' ? await ctx.gate.readAccess(c.appId, c.groupId as number, senderId) : { visibleSinceMs: 0, historyVisible: true };
  return replyTargetOf(ctx, c, input.replyTo, input.threadRootId, access, mustResolve);
}

async function append(ctx: MessagingContext, conversation: Conversation, senderId: number | null, valid: ReturnType<typeof validateMessage>, turn?: Turn, reply?: ReplyTarget): Promise<SendResult> {
  const queued = ctx.writer.append({
    id: ctx.ids.next(),
    appId: conversation.appId,
    conversationId: conversation.id,
    senderId,
    clientId: valid.clientId,
    type: valid.type,
    body: valid.body,
    ext: valid.ext,
    createdAt: ctx.clock.now(),
    ...(reply ? { replyToId: reply.replyToId, threadRootId: reply.threadRootId } : {}),
  }, conversation);
  // In the writer's queue: the lane's next send may follow.
  turn?.release();
  const outcome = await queued;
  let message = toMessage(outcome.stored, conversation);
  if (outcome.duplicate) {
    [message] = await withReplies(ctx, [message]);
    return { message, duplicate: true };
  }
  if (reply?.quoted && message.replyToId === reply.quoted.id) message = { ...message, replyTo: summaryOf(reply.quoted) };
  // Members who joined after the quoted message may not read it: the push tells the gateway from when (events.ts).
  const quotedAt = reply ? quotedAtForPush(message, reply.quoted, !reply.historyHidden) : undefined;
  ctx.events.emit({ type: 'message.sent', appId: conversation.appId, audience: audienceOf(conversation), message, ...(quotedAt !== undefined ? { quotedAt } : {}) });
  return { message, duplicate: false };
}
