// Adapts core to what the gateway needs (contract.ts): tokens, messages
// (send, the history after a seq) and group membership (GroupGate, group.*
// events).
// Conversations are named on the wire by key: `g:<groupId>` for a group,
// `p:<userId>:<userId>` (smaller id first) for two users.

import type { Core } from '../core/core.ts';
import { fail } from '../core/errors.ts';
import type { DomainEvent } from '../core/events.ts';
import { parseId } from '../core/ids.ts';
import type { ConversationTarget } from '../core/messages/context.ts';
import type { Message, MessageInput } from '../core/messages/model.ts';
import { hiddenQuote } from '../core/messages/replies.ts';
import type { EventTranslation, GatewayCore, GatewayMessage, GatewayPresence } from './contract.ts';

export function gatewayCore(core: Core, presence?: GatewayPresence): GatewayCore {
  return {
    clock: core.clock,
    ...(presence ? { presence } : {}),
    authenticate: (token) => core.tokens.authenticate(token),
    membershipsOf: (appId, userId) => core.groupGate.membershipsOf(appId, userId),
    async send(p, input, lane) {
      const { target, message } = sendInput(input);
      const result = await core.messages.send(p.appId, p.userId, target, message, lane);
      return toGatewayMessage(result.message);
    },
    async recentMessages(p, conversation, limit) {
      const page = await core.messages.history(p.appId, p.userId, targetOf(conversation, p.userId), { order: 'desc', limit });
      return page.items.map(toGatewayMessage).reverse();
    },
    async messagesAfter(p, conversation, after, limit) {
      const page = await core.messages.history(p.appId, p.userId, targetOf(conversation, p.userId), { after: { seq: after }, order: 'asc', limit });
      return { messages: page.items.map(toGatewayMessage), more: page.more };
    },
  };
}

export const eventTranslation: EventTranslation = {
  message: (event: DomainEvent) => (event.type === 'message.sent' ? toGatewayMessage(event.message) : undefined),
  forLaterMembers(event: DomainEvent) {
    if (event.type !== 'message.sent' && event.type !== 'message.edited') return undefined;
    const quote = event.message.replyTo;
    // Core named the quoted message's time: later members get the quote as history and sync show it to them.
    if (event.quotedAt === undefined || !quote) return undefined;
    return { conversation: conversationKey(event.message), joinedAfter: event.quotedAt, event: { ...event, message: { ...event.message, replyTo: hiddenQuote(quote) } } };
  },
  membership(event: DomainEvent) {
    // Only these change who is in a group; every other event leaves subscriptions alone.
    if (event.type === 'group.created') return { userIds: [event.group.ownerId], groupId: event.groupId, joined: true, at: event.at };
    if (event.type === 'group.members_joined') return { userIds: event.userIds, groupId: event.groupId, joined: true, at: event.at };
    if (event.type === 'group.member_left') return { userIds: [event.userId], groupId: event.groupId, joined: false };
    if (event.type === 'group.members_removed') return { userIds: event.userIds, groupId: event.groupId, joined: false };
    if (event.type === 'group.dismissed') return { userIds: 'everyone' as const, groupId: event.groupId, joined: false };
    return undefined;
  },
};

export function conversationKey(m: Pick<Message, 'kind' | 'groupId' | 'senderId' | 'recipientId' | 'conversationId'>): string {
  if (m.kind === 'group') return `g:${m.groupId}`;
  const a = m.senderId ?? 0;
  const b = m.recipientId ?? 0;
  return `p:${Math.min(a, b)}:${Math.max(a, b)}`;
}

function toGatewayMessage(m: Message): GatewayMessage {
  return { conversation: conversationKey(m), seq: m.seq, at: m.createdAt, message: m };
}

/** The conversation a key names, as seen by `userId`. */
function targetOf(key: string, userId: number): ConversationTarget {
  const g = /^g:(\d{1,16})$/.exec(key);
  if (g) {
    const groupId = parseId(g[1]);
    if (groupId) return { groupId };
  }
  const p = /^p:(\d{1,16}):(\d{1,16})$/.exec(key);
  if (p) {
    const [a, b] = [Number(p[1]), Number(p[2])];
    if (a === userId && b !== userId) return { userId: b };
    if (b === userId && a !== userId) return { userId: a };
    throw fail('not_found', `conversation ${key} is not one of yours`);
  }
  throw fail('invalid_argument', `"${key}" is not a conversation key (g:<groupId> or p:<userId>:<userId>)`);
}

/** The socket's send body: the native send body plus its target, `groupId` or `userId`. */
function sendInput(input: Record<string, unknown>): { target: ConversationTarget; message: MessageInput } {
  const { groupId, userId, type, body, ext, clientId, replyTo, threadRootId, ...rest } = input;
  const extra = Object.keys(rest);
  if (extra.length > 0) throw fail('invalid_argument', `send.message has unknown field ${extra[0]}`, { field: extra[0] });
  const g = groupId === undefined ? undefined : parseId(groupId);
  const u = userId === undefined ? undefined : parseId(userId);
  if ((g === undefined) === (u === undefined) || (groupId !== undefined && g === undefined) || (userId !== undefined && u === undefined)) {
    throw fail('invalid_argument', 'send.message needs exactly one of groupId or userId (an id)', { field: 'groupId' });
  }
  if (typeof type !== 'string') throw fail('invalid_argument', 'send.message.type must be a string', { field: 'type' });
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw fail('invalid_argument', 'send.message.body must be an object', { field: 'body' });
  if (ext !== undefined && ext !== null && (typeof ext !== 'object' || Array.isArray(ext))) throw fail('invalid_argument', 'send.message.ext must be an object or null', { field: 'ext' });
  if (clientId !== undefined && (typeof clientId !== 'string' || clientId.length < 1 || clientId.length > 128)) throw fail('invalid_argument', 'send.message.clientId must be a string of 1-128 characters', { field: 'clientId' });
  const reply = replyTo === undefined || replyTo === null ? undefined : parseId(replyTo);
  if (replyTo !== undefined && replyTo !== null && reply === undefined) throw fail('invalid_argument', 'send.message.replyTo must be a message id', { field: 'replyTo' });
  const root = threadRootId === undefined || threadRootId === null ? undefined : parseId(threadRootId);
  if (threadRootId !== undefined && threadRootId !== null && root === undefined) throw fail('invalid_argument', 'send.message.threadRootId must be a message id', { field: 'threadRootId' });
  return {
    target: g !== undefined ? { groupId: g } : { userId: u as number },
    message: { type, body: body as Record<string, unknown>, ...(ext !== undefined ? { ext: ext as Record<string, unknown> | null } : {}), ...(clientId !== undefined ? { clientId: clientId as string } : {}), ...(reply !== undefined ? { replyTo: reply } : {}), ...(root !== undefined ? { threadRootId: root } : {}) },
  };
}
