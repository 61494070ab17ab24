// Conversations: a group, or a pair of users. Resolving one is on every
// send's path, so the facts that never change once true (this group's
// conversation id, this pair's conversation and that both users exist) are
// cached (the least recently used go first when the cache is full); counters
// (lastSeq) are always read from the store.

import { lruCache } from '../lru.ts';
import { fail } from '../errors.ts';
import type { GroupGate, GroupReadAccess } from '../groups/gate.ts';
import type { IdGenerator } from '../ids.ts';
import type { Clock } from '../clock.ts';
import type { Repositories, Store } from '../ports.ts';
import type { ConversationTarget, Viewer } from './context.ts';
import type { Conversation, Message } from './model.ts';
import type { MessageRecord } from './ports.ts';

const CACHE_LIMIT = 100_000;

/** What a viewer may read of a conversation. */
export interface ReadScope {
  conversation: Conversation;
  /** Messages created before this are hidden (new members of groups that hide history). */
  sinceMs: number;
  /** Group conversations: the viewer's access (role, receipts); undefined for private and admin. */
  group?: GroupReadAccess;
}

export class Conversations {
  readonly #store: Store;
  readonly #gate: GroupGate;
  readonly #ids: IdGenerator;
  readonly #clock: Clock;
  readonly #cache = lruCache<string, Conversation>(CACHE_LIMIT);

  constructor(deps: { store: Store; gate: GroupGate; ids: IdGenerator; clock: Clock }) {
    this.#store = deps.store;
    this.#gate = deps.gate;
    this.#ids = deps.ids;
    this.#clock = deps.clock;
  }

  #remember(key: string, c: Conversation): Conversation {
    this.#cache.set(key, c);
    return c;
  }

  /** The group's conversation, created on first use. Group rules are the caller's to check. */
  async ofGroup(appId: number, groupId: number): Promise<Conversation> {
    const key = `g:${appId}:${groupId}`;
    const hit = this.#cache.get(key);
    if (hit) return hit;
    return this.#remember(key, await this.#store.conversations.ensureGroup(appId, groupId, this.#ids.next(), this.#clock.now()));
  }

  /**
   * The group's conversation inside a transaction that is not committed yet
   * (a group change writing its notices): one created here is not cached, as
   * the transaction may still roll back.
   */
  async ofGroupIn(tx: Repositories, appId: number, groupId: number): Promise<Conversation> {
    return this.#cache.get(`g:${appId}:${groupId}`) ?? tx.conversations.ensureGroup(appId, groupId, this.#ids.next(), this.#clock.now());
  }

  /** The private conversation of two users of the app, created on first use; both must exist. */
  async ofPair(appId: number, userId: number, peerId: number): Promise<Conversation> {
    if (userId === peerId) throw fail('invalid_argument', 'a private conversation needs two different users');
    const [a, b] = userId < peerId ? [userId, peerId] : [peerId, userId];
    const key = `p:${appId}:${a}:${b}`;
    const hit = this.#cache.get(key);
    if (hit) return hit;
    const existing = await this.#store.conversations.findPrivate(appId, a, b);
    if (existing) return this.#remember(key, existing);
    await this.#requireUsers(appId, [a, b]);
    return this.#remember(key, await this.#store.conversations.ensurePrivate(appId, a, b, this.#ids.next(), this.#clock.now()));
  }

  /** An existing conversation by target, without creating one (reads). */
  async find(appId: number, viewer: Viewer, target: ConversationTarget): Promise<Conversation | undefined> {
    if ('groupId' in target) {
      const key = `g:${appId}:${target.groupId}`;
      return this.#cache.get(key) ?? (await this.#store.conversations.findGroup(appId, target.groupId));
    }
    if (viewer === null) throw fail('invalid_argument', 'an app-admin reads a private conversation by its two users');
    if (viewer === target.userId) throw fail('invalid_argument', 'a private conversation needs two different users');
    const [a, b] = viewer < target.userId ? [viewer, target.userId] : [target.userId, viewer];
    const found = this.#cache.get(`p:${appId}:${a}:${b}`) ?? (await this.#store.conversations.findPrivate(appId, a, b));
    if (!found) await this.#requireUsers(appId, [target.userId]);
    return found;
  }

  /**
   * Checks that `viewer` may read the target and says what it may see. A
   * conversation that has no message yet is returned as undefined.
   */
  async scopeOf(appId: number, viewer: Viewer, target: ConversationTarget): Promise<{ conversation?: Conversation; sinceMs: number; group?: GroupReadAccess }> {
    let group: GroupReadAccess | undefined;
    if ('groupId' in target && viewer !== null) group = await this.#gate.readAccess(appId, target.groupId, viewer);
    const conversation = await this.find(appId, viewer, target);
    return { ...(conversation ? { conversation } : {}), sinceMs: group?.visibleSinceMs ?? 0, ...(group ? { group } : {}) };
  }

  /** The scope of a conversation already known (by a message id): fails unless `viewer` may read it. */
  async scopeOfConversation(appId: number, viewer: Viewer, c: Conversation): Promise<ReadScope> {
    if (c.appId !== appId) throw fail('message_not_found', 'no such message');
    if (viewer === null) return { conversation: c, sinceMs: 0 };
    if (c.kind === 'group') {
      const group = await this.#gate.readAccess(appId, c.groupId as number, viewer);
      return { conversation: c, sinceMs: group.visibleSinceMs, group };
    }
    if (c.userA !== viewer && c.userB !== viewer) throw fail('message_not_found', 'no such message');
    return { conversation: c, sinceMs: 0 };
  }

  async get(id: number): Promise<Conversation | undefined> {
    return this.#store.conversations.get(id);
  }

  async #requireUsers(appId: number, ids: number[]): Promise<void> {
    const found = await this.#store.users.getMany(ids);
    for (const id of ids) {
      if (!found.some((u) => u.id === id && u.appId === appId)) throw fail('user_not_found', `user ${id} does not exist`, { userId: id });
    }
  }
}

/** A stored record with its conversation's facts: the Message every caller sees. */
export function toMessage(r: MessageRecord, c: Conversation): Message {
  const recipientId = c.kind === 'private' && r.senderId !== null ? (r.senderId === c.userA ? c.userB : c.userA) : null;
  return { ...r, kind: c.kind, groupId: c.groupId, recipientId, reactions: [], pinned: null };
}
