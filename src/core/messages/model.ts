// The one stored message shape. Every dialect's message format is produced
// from it: the type names a payload, `body` holds that payload's fields in
// Parley's names (lanying/xim/dtalk/Easemob fields map onto them one to one),
// and `ext` keeps whatever a dialect carries beside the payload (xim `ext` and
// `isShow`, dtalk `source`/`reference`), so nothing a client sent is lost.

import type { ReactionCount } from './ports.ts';

export const ConversationKind = { group: 'group', private: 'private' } as const;
export type ConversationKind = (typeof ConversationKind)[keyof typeof ConversationKind];

export interface Conversation {
  id: number;
  appId: number;
  kind: ConversationKind;
  /** Set for group conversations. */
  groupId: number | null;
  /** Private conversations: the two users, userA < userB. */
  userA: number | null;
  userB: number | null;
  /** Highest seq issued (gapless: every seq 1..lastSeq exists). */
  lastSeq: number;
  /** Stream position of the last change in this conversation (sync). */
  lastPos: number;
  createdAt: number;
}

/** The message types core knows; dialect-specific types are `x-<name>` with a free JSON body. */
export const MessageType = {
  text: 'text',
  image: 'image',
  audio: 'audio',
  video: 'video',
  file: 'file',
  location: 'location',
  card: 'card',
  contact: 'contact',
  notice: 'notice',
  custom: 'custom',
  /**
   * Bytes the server cannot read (end-to-end encrypted, or a payload in a
   * format Parley does not parse): kept exactly, as base64, and delivered,
   * synced and revoked like any message.
   */
  encrypted: 'encrypted',
  /** The record of a finished call (server-written). */
  call: 'call',
  /** What a revoked message becomes in history and sync. */
  revoked: 'revoked',
} as const;
export type KnownMessageType = (typeof MessageType)[keyof typeof MessageType];
/** A known type, or `x-<dialect-type>` (dtalk transfer, red packets, xim login/notify…). */
export type MessageTypeName = KnownMessageType | `x-${string}`;

/** A link inside text (xim/lanying anchors): `start`/`len` in UTF-16 code units. */
export interface Anchor {
  href: string;
  start: number;
  len: number;
  /** 0 default, 1 left, 2 centre, 3 right (xim). */
  style?: number;
  color?: string;
  ext?: string;
  /** Per-client variants keyed by client tag (xim anchorTag). */
  tags?: Record<string, { href?: string; show?: boolean; color?: string; ext?: string }>;
}

export type MessageBody = Record<string, unknown>;

export interface Message {
  /** Global snowflake id; also a paging cursor in every dialect. */
  id: number;
  appId: number;
  conversationId: number;
  kind: ConversationKind;
  groupId: number | null;
  /** null for system notices. */
  senderId: number | null;
  /** Private messages: the other user. */
  recipientId: number | null;
  /** Gapless per conversation. */
  seq: number;
  /** Position in the sync stream: moves forward when the message changes (revoke). */
  pos: number;
  /** The client's id for the send (idempotent resend), if it gave one. */
  clientId: string | null;
  type: MessageTypeName;
  body: MessageBody;
  ext: Record<string, unknown> | null;
  createdAt: number;
  revokedAt: number | null;
  revokedBy: number | null;
  /** A reply: the id of the message it quotes (see `replyTo`). */
  replyToId: number | null;
  /**
   * A reply as read: enough of the quoted message to render the quote
   * (core/messages/replies.ts), as it is now — edited text, or `revoked`.
   */
  replyTo?: ReplySummary;
  /** The thread's root message, when the sender named one. */
  threadRootId: number | null;
  /** When the text was last edited (null: never); see core/messages/edit.ts. */
  editedAt: number | null;
  editCount: number;
  /** Per emoji: how many reacted, and whether the reader did (see reactions.ts); empty on a revoked message. */
  reactions: ReactionCount[];
  /** Set while the message is pinned in its conversation (see pins.ts). */
  pinned: PinMark | null;
}

/** Who pinned a message, and when. */
export interface PinMark {
  by: number;
  at: number;
}

/** The quoted message of a reply, as a reader may see it now. */
export interface ReplySummary {
  id: number;
  senderId: number | null;
  /** The quoted message's type; `revoked` once it is revoked. */
  type: MessageTypeName;
  /** The start of its text, or a type label (`[image]`); '' when revoked or hidden. */
  excerpt: string;
  /** The quoted message was revoked: nothing of it is shown. */
  revoked?: true;
  /** The reader may not see the quoted message (history from before they joined). */
  hidden?: true;
}

/** What a sender supplies. */
export interface MessageInput {
  type: string;
  body: MessageBody;
  ext?: Record<string, unknown> | null;
  clientId?: string | null;
  /** Quote this message of the same conversation. */
  replyTo?: number | null;
  /** Name the thread's root message (same conversation). */
  threadRootId?: number | null;
}

/** Who a message or event is pushed to (see core/events.ts Audience). */
export function audienceOf(c: Pick<Conversation, 'kind' | 'groupId' | 'userA' | 'userB'>): { groupId: number } | { users: number[] } {
  if (c.kind === 'group') return { groupId: c.groupId as number };
  return { users: [c.userA as number, c.userB as number] };
}
