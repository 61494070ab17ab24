// The messaging core as one service: the operations the native API, the
// WebSocket gateway and every dialect call. Each method is one rule set in
// its own file (send, history, sync, revoke, focus, receipts).

import type { Clock } from '../clock.ts';
import { fail } from '../errors.ts';
import type { DomainEvent, EventHub } from '../events.ts';
import type { GroupGate } from '../groups/gate.ts';
import type { IdGenerator } from '../ids.ts';
import type { Repositories, Store } from '../ports.ts';
import { defaultMessagingSettings, type ConversationTarget, type RuleSet, type MessagingContext, type MessagingSettings, type Viewer } from './context.ts';
import { Conversations, toMessage } from './conversations.ts';
import { CachedGroupGate } from './gate-cache.ts';
import { delivered } from './delivered.ts';
import { focus, focusList, type FocusEntry, type FocusState } from './focus.ts';
import { GroupCommit, type GroupCommitStats } from './group-commit.ts';
import { recordNotices } from './group-notices.ts';
import { history, type HistoryPage, type HistoryQuery } from './history.ts';
import type { Conversation, Message, MessageInput } from './model.ts';
import { conversationList, type ConversationSummary } from './conversation-list.ts';
import { ReadPositionWriter, type ReadWriterStats } from './read-writer.ts';
import { markRead, markUnread, messageReaders, messageReads, readState, type MessageReaders, type MessageReads, type ReadState } from './receipts.ts';
import { revoke } from './revoke.ts';
import { edit, type EditInput } from './edit.ts';
import { withReplies } from './replies.ts';
import { annotate, react, reactors, unreact, type ReactionResult, type ReactorPage } from './reactions.ts';
import { pin, pinsOf, unpin, type PinPage } from './pins.ts';
import type { SendLane } from './send-lane.ts';
import { recordCall, send, type FinishedCall, type SendResult } from './send.ts';
import { search, type SearchPage, type SearchQuery } from '../search/search.ts';
import { noOutbox, type EventOutbox } from '../webhooks/outbox.ts';
import type { BeforeSend } from '../webhooks/moderation.ts';
import { sync, syncTail, type SyncPage, type SyncQuery, type SyncTail } from './sync.ts';

export interface MessagesDeps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  events: EventHub;
  gate: GroupGate;
  settings?: Partial<MessagingSettings>;
  /** Webhook deliveries are written through it in each change's transaction. */
  outbox?: EventOutbox;
  beforeSend?: BeforeSend;
}

export type { ConversationSummary } from './conversation-list.ts';

export class Messages {
  readonly #ctx: MessagingContext;
  readonly #gateCache: CachedGroupGate;

  constructor(deps: MessagesDeps) {
    const settings = { ...defaultMessagingSettings, ...deps.settings, dtalk: { ...defaultMessagingSettings.dtalk, ...deps.settings?.dtalk } };
    const gate = new CachedGroupGate(deps.gate, deps.clock, deps.events, settings.gateCacheMs);
    this.#gateCache = gate;
    this.#ctx = {
      store: deps.store,
      clock: deps.clock,
      ids: deps.ids,
      events: deps.events,
      gate,
      settings,
      conversations: new Conversations({ ...deps, gate }),
      writer: new GroupCommit(deps.store, undefined, deps.outbox ?? noOutbox),
      outbox: deps.outbox ?? noOutbox,
      ...(deps.beforeSend ? { beforeSend: deps.beforeSend } : {}),
      reads: new ReadPositionWriter(deps.store),
    };
  }

  get settings(): Readonly<MessagingSettings> {
    return this.#ctx.settings;
  }

  /**
   * Another process changed a group's rules (kick, mute, role…), or, without
   * a group, notifications of such changes may have been lost: cached
   * answers about it are dropped.
   */
  groupRulesChanged(groupId?: number): void {
    if (groupId === undefined) this.#gateCache.forgetAll();
    else this.#gateCache.forgetGroup(groupId);
  }

  /** Batches and messages written so far (benchmarks, metrics). */
  get commitStats(): Readonly<GroupCommitStats> {
    return this.#ctx.writer.stats;
  }

  /** How read positions were coalesced (read-writer.ts): statements written, positions, largest batch. */
  get readWriterStats(): Readonly<ReadWriterStats> {
    return { ...this.#ctx.reads.stats };
  }

  /**
   * Sends to a group ({groupId}) or to a user ({userId}); resolves after
   * commit. Sends made in one lane are stored in the order they were made.
   * `rules` names the limits the send is held to (a dialect's, see RuleSet).
   */
  send(appId: number, senderId: number, target: ConversationTarget, input: MessageInput, lane?: SendLane, rules?: RuleSet): Promise<SendResult> {
    return send(this.#ctx, appId, senderId, target, input, lane, rules);
  }

  /** Records a finished call in its conversation (wired as core.hooks.callRecorder). */
  recordCall(call: FinishedCall): Promise<Message | undefined> {
    return recordCall(this.#ctx, call);
  }

  /**
   * Stores a group change's notices inside the change's transaction (wired
   * into the groups core by core.ts); returns the events to emit after commit.
   */
  recordNotices(tx: Repositories, events: readonly DomainEvent[]): Promise<DomainEvent[]> {
    return recordNotices(this.#ctx, tx, events);
  }

  async history(appId: number, viewer: Viewer, target: ConversationTarget, query: HistoryQuery = {}): Promise<HistoryPage> {
    const page = await history(this.#ctx, appId, viewer, target, query);
    await annotate(this.#ctx, viewer, page.items);
    return page;
  }

  /** Messages matching a query that the viewer may read now (null: an app admin, the whole app). */
  async search(appId: number, viewer: Viewer, query: SearchQuery): Promise<SearchPage> {
    const page = await search(this.#ctx, appId, viewer, query);
    await annotate(this.#ctx, viewer, page.items.map((h) => h.message));
    return page;
  }

  async sync(appId: number, userId: number, query: SyncQuery = {}): Promise<SyncPage> {
    const page = await sync(this.#ctx, appId, userId, query);
    await annotate(this.#ctx, userId, page.items);
    return page;
  }

  /** The newest `limit` changes after `since` (a device pushed what it missed, paging anything older itself). */
  async syncTail(appId: number, userId: number, since: number, limit: number): Promise<SyncTail> {
    const tail = await syncTail(this.#ctx, appId, userId, since, limit);
    await annotate(this.#ctx, userId, tail.items);
    return tail;
  }

  /** A device of `userId` received these messages: their senders hear of it (private messages only). */
  delivered(appId: number, userId: number, messageIds: readonly number[]): Promise<void> {
    return delivered(this.#ctx, appId, userId, messageIds);
  }

  /** One message by id, if the viewer may read it. */
  async get(appId: number, viewer: Viewer, messageId: number): Promise<Message> {
    const record = await this.#ctx.store.messages.get(messageId);
    if (!record || record.appId !== appId) throw fail('message_not_found', `message ${messageId} does not exist`);
    const c = await this.#ctx.conversations.get(record.conversationId);
    if (!c) throw fail('message_not_found', `message ${messageId} does not exist`);
    const scope = await this.#ctx.conversations.scopeOfConversation(appId, viewer, c);
    if (record.createdAt < scope.sinceMs) throw fail('message_not_found', `message ${messageId} does not exist`);
    const [message] = await withReplies(this.#ctx, [toMessage(record, c)], () => scope.sinceMs);
    return (await annotate(this.#ctx, viewer, [message]))[0] as Message;
  }

  /** The sender changes the text (and mentions) of their text message within the edit window. */
  async edit(appId: number, operatorId: number, messageId: number, change: EditInput): Promise<Message> {
    const edited = await edit(this.#ctx, appId, operatorId, messageId, change);
    return (await annotate(this.#ctx, operatorId, [edited]))[0] as Message;
  }

  /** Adds the user's reaction (idempotent); the message comes back with its counts. */
  react(appId: number, userId: number, messageId: number, emoji: string): Promise<ReactionResult> {
    return react(this.#ctx, appId, userId, messageId, emoji);
  }

  /** Removes the user's reaction (idempotent). */
  unreact(appId: number, userId: number, messageId: number, emoji: string): Promise<ReactionResult> {
    return unreact(this.#ctx, appId, userId, messageId, emoji);
  }

  /** Who reacted to a message with one emoji, oldest first. */
  reactors(appId: number, viewer: Viewer, messageId: number, emoji: string, query: { limit?: number; cursor?: string } = {}): Promise<ReactorPage> {
    return reactors(this.#ctx, appId, viewer, messageId, emoji, query);
  }

  /** Pins a message (group owner/admins; either side of a private chat); idempotent. */
  pin(appId: number, userId: number, messageId: number): Promise<Message> {
    return pin(this.#ctx, appId, userId, messageId);
  }

  unpin(appId: number, userId: number, messageId: number): Promise<Message> {
    return unpin(this.#ctx, appId, userId, messageId);
  }

  /** A conversation's pinned messages, newest pin first. */
  pins(appId: number, viewer: Viewer, target: ConversationTarget, query: { limit?: number; cursor?: string } = {}): Promise<PinPage> {
    return pinsOf(this.#ctx, appId, viewer, target, query);
  }

  /** `rules` names whose revoke window applies to a sender (a dialect's, see RuleSet). */
  revoke(appId: number, operatorId: number, messageId: number, rules?: RuleSet): Promise<Message> {
    return revoke(this.#ctx, appId, operatorId, messageId, rules);
  }

  focus(appId: number, userId: number, messageId: number): Promise<FocusState> {
    return focus(this.#ctx, appId, userId, messageId);
  }

  focusList(appId: number, viewer: Viewer, messageId: number): Promise<FocusEntry[]> {
    return focusList(this.#ctx, appId, viewer, messageId);
  }

  markRead(appId: number, userId: number, target: ConversationTarget, seq: number): Promise<ReadState> {
    return markRead(this.#ctx, appId, userId, target, seq);
  }

  /** Mark-as-unread from `seq` (default: the last message). */
  markUnread(appId: number, userId: number, target: ConversationTarget, seq?: number): Promise<ReadState> {
    return markUnread(this.#ctx, appId, userId, target, seq);
  }

  readState(appId: number, userId: number, target: ConversationTarget): Promise<ReadState> {
    return readState(this.#ctx, appId, userId, target);
  }

  messageReads(appId: number, viewer: Viewer, messageId: number): Promise<MessageReads> {
    return messageReads(this.#ctx, appId, viewer, messageId);
  }

  /** Who read a message (groups with read receipts on, private chats), paged by cursor. */
  messageReaders(appId: number, viewer: Viewer, messageId: number, opts: { cursor?: string; limit?: number } = {}): Promise<MessageReaders> {
    return messageReaders(this.#ctx, appId, viewer, messageId, opts);
  }

  /**
   * The user's conversations, most recent first, with names, unread counts and
   * the last message; `beforePos` (the last item's lastPos) continues a list.
   */
  conversationsOf(appId: number, userId: number, limit = 50, beforePos?: number): Promise<ConversationSummary[]> {
    return conversationList(this.#ctx, appId, userId, Math.min(Math.max(limit, 1), this.#ctx.settings.maxPage), beforePos);
  }
}
