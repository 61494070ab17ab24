// What the gateway needs from core, and nothing more. The composition root
// (src/server.ts) adapts the real core to it, so the gateway does not depend
// on how messages or groups are built, only on these operations.

import type { Clock } from '../core/clock.ts';
import type { DomainEvent } from '../core/events.ts';
import type { SendLane } from '../core/messages/send-lane.ts';
import type { Principal } from '../core/model.ts';
import type { UserPrincipal } from '../core/auth/principals.ts';
import type { TypingTarget } from '../core/presence/model.ts';
import type { TypingLimiter } from '../core/presence/typing-limiter.ts';

/** A principal that acts as a user (the gateway serves users, not app admins): core's principal model. */
export type { UserPrincipal } from '../core/auth/principals.ts';

/** A committed message, as the gateway orders and delivers it. */
export interface GatewayMessage {
  /**
   * The conversation it belongs to, as clients name it in `hello.positions`
   * (e.g. `g:123` for a group, `p:5:9` for two users): an opaque key here.
   */
  conversation: string;
  /** Its gapless, increasing position in the conversation. */
  seq: number;
  /** When it was stored (ms). */
  at: number;
  /** The stored message exactly as clients see it (acked and pushed as is). */
  message: unknown;
}

export interface GatewayCore {
  readonly clock: Clock;
  /** Resolves a bearer token, or throws unauthenticated / token_expired / token_revoked. */
  authenticate(token: string | undefined): Promise<Principal>;
  /** The groups whose traffic a session of this user receives, with when the user joined each. */
  membershipsOf(appId: number, userId: number): Promise<{ groupId: number; joinedAt: number }[]>;
  /**
   * Stores a message (the native send body); resolves after commit, a resend
   * of a clientMsgId with the original. Sends made in one lane are stored in
   * the order they were made, without waiting for each other's commit.
   */
  send(principal: UserPrincipal, input: Record<string, unknown>, lane?: SendLane): Promise<GatewayMessage>;
  /**
   * Messages of `conversation` this user may read with seq > `after`, in seq
   * order, at most `limit` (core may cap a page lower); `more` when others
   * follow. Throws when the user may not read the conversation.
   */
  messagesAfter(principal: UserPrincipal, conversation: string, after: number, limit: number): Promise<{ messages: GatewayMessage[]; more: boolean }>;
  /** The newest `limit` messages of `conversation` this user may read, oldest first. */
  recentMessages(principal: UserPrincipal, conversation: string, limit: number): Promise<GatewayMessage[]>;
  /** Typing and presence (core/presence); absent where a process serves none. */
  presence?: GatewayPresence;
}

/** What sessions tell presence, and ask of it. */
export interface GatewayPresence {
  /** An authenticated session opened / closed: the user is online while one is open anywhere. */
  sessionOpened(principal: UserPrincipal): void;
  sessionClosed(principal: UserPrincipal): void;
  /** A session's own rate limit for its typing signals. */
  newLimiter(): TypingLimiter;
  /** Resolves whether the signal went out (false: coalesced); throws when the user may not signal there. */
  typing(principal: UserPrincipal, target: TypingTarget, active: boolean, limiter: TypingLimiter): Promise<boolean>;
}

/** How committed domain events become deliveries; supplied by the composition root. */
export interface EventTranslation {
  /** The message an event delivers in order (message sent), if any. */
  message(event: DomainEvent): GatewayMessage | undefined;
  /**
   * Group memberships an event starts or ends, so sessions (un)subscribe the
   * group: for some users, or for everyone (a dismissed group). `at` is when
   * a join took effect: messages from then on reach the new member.
   */
  membership(event: DomainEvent): { userIds: readonly number[] | 'everyone'; groupId: number; joined: boolean; at?: number } | undefined;
  /**
   * The event as members of `conversation` who joined after `joinedAfter`
   * see it, when that differs (a reply whose quote is history hidden from
   * them); it is delivered the way the event is.
   */
  forLaterMembers(event: DomainEvent): { conversation: string; joinedAfter: number; event: DomainEvent } | undefined;
}
