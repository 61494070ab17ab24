// Messaging's domain events. Each carries its audience (the group, or the two
// users of a private conversation) and the full stored message, so the
// gateway can push it without reading the store. Emitted after commit only.

import type { Audience } from '../events.ts';
import type { Message } from './model.ts';

export interface MessageSent {
  type: 'message.sent';
  appId: number;
  audience: Audience;
  message: Message;
  /**
   * A reply in a group that hides history from new members: the quoted
   * message's time. Members who joined after it may not read the quoted
   * message, so the live push shows them the quote hidden (replies.ts
   * `hiddenQuote`), as history and sync do.
   */
  quotedAt?: number;
}

/** The message now is its revoke marker (type `revoked`), at a new stream position. */
export interface MessageRevoked {
  type: 'message.revoked';
  appId: number;
  audience: Audience;
  message: Message;
  /** Who revoked it (the sender, or a group owner/admin). */
  operatorId: number;
}

/**
 * The sender edited the message: `message` is its new state (same id and
 * seq, new stream position, `editedAt`, `editCount`). `mentionsAdded` are
 * the users the new text mentions and the old did not (and `mentionAllAdded`
 * when it newly mentions everyone): they are notified as for a new mention.
 */
export interface MessageEdited {
  type: 'message.edited';
  appId: number;
  audience: Audience;
  message: Message;
  operatorId: number;
  mentionsAdded: number[];
  mentionAllAdded: boolean;
  /** As on MessageSent: the live push hides the quote from members who joined after this. */
  quotedAt?: number;
}

/** A user marked a message (dtalk "关注"); `count` is how many users have. */
export interface MessageFocused {
  type: 'message.focused';
  appId: number;
  audience: Audience;
  conversationId: number;
  messageId: number;
  userId: number;
  count: number;
  at: number;
}

/** A reader's position moved: to the reader's other devices, and to the peer / group when receipts are shown. */
export interface ConversationRead {
  type: 'conversation.read';
  appId: number;
  audience: Audience;
  conversationId: number;
  groupId: number | null;
  userId: number;
  seq: number;
  at: number;
}

/** A device of `userId` received these private messages (sent to the sender; nothing is stored). */
export interface MessageDelivered {
  type: 'message.delivered';
  appId: number;
  audience: Audience;
  /** Who received them. */
  userId: number;
  /** Ids of the sender's messages, in the order they were acknowledged. */
  messageIds: number[];
  at: number;
}

/**
 * A reaction was added or removed: the message moved to stream position
 * `pos`. `reactions` are the counts now (the same for every reader); `mine`
 * are the emoji `userId` now has on it, so that user's devices know their
 * own `me` (nobody else's `me` changes).
 */
export interface MessageReacted {
  type: 'message.reacted';
  appId: number;
  audience: Audience;
  conversationId: number;
  groupId: number | null;
  messageId: number;
  pos: number;
  userId: number;
  emoji: string;
  added: boolean;
  reactions: { emoji: string; count: number }[];
  mine: string[];
  at: number;
}

/** A message was pinned (`message` carries `pinned`); groups also get a notice. */
export interface MessagePinned {
  type: 'message.pinned';
  appId: number;
  audience: Audience;
  conversationId: number;
  groupId: number | null;
  messageId: number;
  actorId: number;
  message: Message;
  at: number;
}

/** A message was unpinned, by `actorId`, or because it was revoked (`reason`). */
export interface MessageUnpinned {
  type: 'message.unpinned';
  appId: number;
  audience: Audience;
  conversationId: number;
  groupId: number | null;
  messageId: number;
  actorId: number;
  reason: 'unpinned' | 'revoked';
  at: number;
}

export type MessageEvent = MessageSent | MessageRevoked | MessageEdited | MessageFocused | ConversationRead | MessageDelivered | MessageReacted | MessagePinned | MessageUnpinned;
