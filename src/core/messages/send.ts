// Sending: check the rules, validate, hand the send to the group-commit
// writer, and announce it once it is committed. A resend with the same client
// id returns the original message and announces nothing.

import { rulesOf, RuleSet, type MessagingContext, type ConversationTarget } from './context.ts';
import { toMessage } from './conversations.ts';
import { audienceOf, type Conversation, type Message, type MessageInput } from './model.ts';
import type { SendLane, Turn } from './send-lane.ts';
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
    if (turn) await turn.previous;
    return await append(ctx, conversation, senderId, valid, turn);
  } finally {
    turn?.release();
  }
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

async function append(ctx: MessagingContext, conversation: Conversation, senderId: number | null, valid: ReturnType<typeof validateMessage>, turn?: Turn): Promise<SendResult> {
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
  });
  // In the writer's queue: the lane's next send may follow.
  turn?.release();
  const outcome = await queued;
  const message = toMessage(outcome.stored, conversation);
  if (!outcome.duplicate) ctx.events.emit({ type: 'message.sent', appId: conversation.appId, audience: audienceOf(conversation), message });
  return { message, duplicate: outcome.duplicate };
}
