import { Type } from '@sinclair/typebox';
import { Id } from './schemas.ts';

// JSON Schemas of the message routes (they also feed /openapi.json). Message
// bodies are checked per type in core (core/messages/validation.ts), so every
// transport applies the same rules; here only the envelope is fixed.

const Json = Type.Record(Type.String(), Type.Unknown());

/** Group routes name their parameter `groupId`, like the groups API beside them. */
export const GroupIdParam = Type.Object({ groupId: Type.String({ pattern: '^[0-9]{1,16}$' }) });

export const SendBody = Type.Object(
  {
    type: Type.String({ minLength: 1, maxLength: 50, description: 'text, image, audio, video, file, location, card, contact, custom, encrypted (opaque bytes as base64), or x-<dialect type>' }),
    body: Type.Object({}, { additionalProperties: true, description: 'The payload; its fields depend on `type` (see docs/messages.md)' }),
    ext: Type.Optional(Type.Union([Json, Type.Null()], { description: 'Extra data carried unchanged' })),
    clientId: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'Your id for this send: a resend with the same id returns the original message' })),
    replyTo: Type.Optional(Type.Union([Id, Type.Null()], { description: 'Quote this message (of the same conversation)' })),
    threadRootId: Type.Optional(Type.Union([Id, Type.Null()], { description: "The thread's root message (of the same conversation)" })),
  },
  { additionalProperties: false },
);

export const ReplySummary = Type.Object(
  {
    id: Id,
    senderId: Type.Union([Id, Type.Null()]),
    type: Type.String({ description: "The quoted message's type; `revoked` once it is revoked" }),
    excerpt: Type.String({ description: 'The start of its text, or a type label such as `[image]`; empty when revoked or hidden' }),
    revoked: Type.Optional(Type.Literal(true, { description: 'The quoted message was revoked: nothing of it is shown' })),
    hidden: Type.Optional(Type.Literal(true, { description: 'You may not read the quoted message (history from before you joined)' })),
  },
  { description: 'The quoted message as it is now' },
);

export const EditBody = Type.Object(
  {
    text: Type.String({ minLength: 1, description: 'The new text' }),
    mentions: Type.Optional(Type.Array(Id, { maxItems: 1000, description: 'Users the new text mentions (replaces the old list)' })),
    mentionAll: Type.Optional(Type.Boolean({ description: 'The new text mentions everyone' })),
    mentionNames: Type.Optional(Type.Array(Type.String({ maxLength: 256 }), { maxItems: 1000 })),
  },
  { additionalProperties: false },
);

export const Message = Type.Object(
  {
    id: Id,
    conversationId: Id,
    kind: Type.Union([Type.Literal('group'), Type.Literal('private')]),
    groupId: Type.Union([Id, Type.Null()]),
    senderId: Type.Union([Id, Type.Null()]),
    recipientId: Type.Union([Id, Type.Null()]),
    seq: Type.Integer({ description: 'Gapless position within the conversation' }),
    pos: Type.Integer({ description: 'Position in the sync stream' }),
    clientId: Type.Union([Type.String(), Type.Null()]),
    type: Type.String(),
    body: Json,
    ext: Type.Union([Json, Type.Null()]),
    createdAt: Type.Integer(),
    revokedAt: Type.Union([Type.Integer(), Type.Null()]),
    revokedBy: Type.Union([Id, Type.Null()]),
    replyToId: Type.Union([Id, Type.Null()], { description: 'A reply: the id of the message it quotes' }),
    replyTo: Type.Optional(ReplySummary),
    threadRootId: Type.Union([Id, Type.Null()], { description: "The thread's root message, when the sender named one" }),
    editedAt: Type.Union([Type.Integer(), Type.Null()], { description: 'When the text was last edited (null: never)' }),
    editCount: Type.Integer({ minimum: 0, description: 'How many times the text was edited' }),
    readCount: Type.Optional(Type.Integer({ description: 'Groups with read receipts on: how many other members have read it' })),
    reactions: Type.Optional(
      Type.Array(Type.Object({ emoji: Type.String(), count: Type.Integer({ minimum: 1 }), me: Type.Boolean({ description: 'You reacted with this emoji' }) }), {
        description: 'Per emoji, in order of first reaction; empty when none (and on revoked messages)',
      }),
    ),
    pinned: Type.Optional(Type.Union([Type.Object({ by: Id, at: Type.Integer() }), Type.Null()], { description: 'Who pinned it and when, while it is pinned' })),
  },
  { $id: 'Message' },
);

const MessageRef = Type.Ref('Message');

export const HistoryQuery = Type.Object({
  before: Type.Optional(Type.Integer({ minimum: 0, description: 'Only messages with seq below this' })),
  after: Type.Optional(Type.Integer({ minimum: 0, description: 'Only messages with seq above this' })),
  beforeId: Type.Optional(Type.Integer({ minimum: 1, description: 'Only messages before this message (by id)' })),
  afterId: Type.Optional(Type.Integer({ minimum: 1, description: 'Only messages after this message (by id)' })),
  order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')], { description: 'desc (default): newest first; asc: oldest first (default when only after/afterId is given)' })),
  afterTime: Type.Optional(Type.Integer({ minimum: 0, description: 'Only messages created after this time (ms since the epoch)' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 512, description: 'The previous page\'s `next`' })),
});

export const HistoryPage = Type.Object({
  items: Type.Array(MessageRef),
  more: Type.Boolean(),
  next: Type.Optional(Type.String()),
  lastSeq: Type.Integer(),
  conversationId: Type.Union([Id, Type.Null()]),
});

export const SyncQuery = Type.Object({
  since: Type.Optional(Type.Integer({ minimum: 0, default: 0, description: 'The `position` from the previous sync (0: from the beginning)' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 100 })),
});

export const SyncPage = Type.Object({
  items: Type.Array(MessageRef),
  position: Type.Integer({ description: 'Pass as `since` next time' }),
  more: Type.Boolean({ description: 'More changes are waiting' }),
});

export const ReadBody = Type.Object({ seq: Type.Integer({ minimum: 0, description: 'Every message up to this seq has been read' }) }, { additionalProperties: false });

export const ReadState = Type.Object({
  conversationId: Type.Union([Id, Type.Null()]),
  readSeq: Type.Integer(),
  lastSeq: Type.Integer(),
  unread: Type.Integer({ description: 'Messages after readSeq that count for you: not your own, not revoked, not notices (at most 999)' }),
  mentions: Type.Integer({ description: 'Of those, the ones that mention you or everyone' }),
});

export const UnreadBody = Type.Object({ seq: Type.Optional(Type.Integer({ minimum: 1, description: 'The first message to be unread again (default: the last one)' })) }, { additionalProperties: false });

export const MessageReads = Type.Object({
  messageId: Id,
  readCount: Type.Integer(),
  unreadCount: Type.Optional(Type.Integer()),
  read: Type.Optional(Type.Boolean()),
});

export const MessageReaders = Type.Object({
  messageId: Id,
  items: Type.Array(Type.Object({ userId: Id, readSeq: Type.Integer({ description: "the reader's position (every message with seq <= readSeq is read)" }) })),
  next: Type.Optional(Type.String({ description: 'cursor of the next page; absent on the last' })),
});

export const FocusState = Type.Object({ messageId: Id, count: Type.Integer(), added: Type.Boolean() });
export const FocusList = Type.Object({ items: Type.Array(Type.Object({ userId: Id, at: Type.Integer() })) });

export const ConversationList = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Id,
      kind: Type.Union([Type.Literal('group'), Type.Literal('private')]),
      groupId: Type.Union([Id, Type.Null()]),
      peerId: Type.Union([Id, Type.Null()]),
      name: Type.String({ description: "The group's name, or the peer's display name ('' when unset)" }),
      avatar: Type.String({ description: "The group's avatar, or the peer's ('' when unset)" }),
      lastSeq: Type.Integer(),
      lastPos: Type.Integer({ description: 'Stream position of the last change here; the list is ordered by it, newest first' }),
      readSeq: Type.Integer(),
      unread: Type.Integer(),
      mentions: Type.Integer(),
      lastMessage: Type.Union([MessageRef, Type.Null()]),
    }),
  ),
  next: Type.Optional(Type.Integer({ description: 'Pass as `before` for the next page; absent on the last page' })),
});
