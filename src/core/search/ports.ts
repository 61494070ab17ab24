// The search index port. Core tokenises (tokenize.ts) and decides what may be
// found; an adapter stores terms and intersects them. The SQL adapters keep
// the index in the message tables' database, so a write is indexed in the
// transaction that stores the message. An adapter for a dedicated search
// engine (docs/search.md) would implement the same three methods.

import type { Clause } from './tokenize.ts';
import type { MessageTypeName } from '../messages/model.ts';
import type { MessageRecord } from '../messages/ports.ts';

/** What is indexed of one message: its id and its terms in text order. */
export interface SearchDocument {
  messageId: number;
  terms: readonly string[];
}

/** A conversation the searcher may read, from `sinceMs` (history hidden before joining). */
export interface ConversationScope {
  conversationId: number;
  sinceMs: number;
}

export interface IndexQuery {
  appId: number;
  /** Every clause must match. */
  clauses: readonly Clause[];
  /** The conversations searched; `all` = the whole app (app admin). */
  scope: readonly ConversationScope[] | 'all';
  senderId?: number;
  type?: MessageTypeName;
  /** created_at bounds, ms, inclusive. */
  fromMs?: number;
  toMs?: number;
  /** newest: by message id, descending, below `beforeId`. relevance: engine rank, then `offset`. */
  order: 'newest' | 'relevance';
  beforeId?: number;
  offset?: number;
  limit: number;
}

export interface SearchIndex {
  /**
   * Adds or replaces each message's terms. Called inside `Store.transaction`
   * with the message write: the index commits or rolls back with it.
   */
  put(docs: readonly SearchDocument[]): Promise<void>;
  /** Removes messages from the index (revoke); inside the revoking transaction. */
  remove(messageIds: readonly number[]): Promise<void>;
  /** The matching, unrevoked messages, in the requested order (read with the match: no second lookup). */
  query(q: IndexQuery): Promise<MessageRecord[]>;
}
