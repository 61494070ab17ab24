// Cached answers about members of groups (may this member send here, what may
// they read), bounded and droppable one group at a time. A least-recently-used
// cache (lru-cache) keeps the hot entries when it is full, rather than
// emptying itself; an index of keys per group lets a group change drop that
// group's entries without scanning every key.

import type { LRUCache } from 'lru-cache';
import { lruCache } from '../lru.ts';

interface Entry<T> {
  value: T;
  /** Clock time after which the answer is read again. */
  until: number;
  groupId: number;
}

export class GroupAnswers<T extends object | string> {
  readonly #entries: LRUCache<string, Entry<T>>;
  readonly #byGroup = new Map<number, Set<string>>();

  constructor(max: number) {
    this.#entries = lruCache<string, Entry<T>>(max, {
      // Evicted or deleted: out of the index too (an overwrite keeps its key, and its group).
      dispose: (e, key, reason) => {
        if (reason !== 'set') this.#unindex(e.groupId, key);
      },
    });
  }

  get(key: string, now: number): T | undefined {
    const e = this.#entries.get(key);
    if (!e) return undefined;
    if (e.until > now) return e.value;
    this.#entries.delete(key);
    return undefined;
  }

  set(key: string, groupId: number, value: T, until: number): void {
    this.#entries.set(key, { value, until, groupId });
    let keys = this.#byGroup.get(groupId);
    if (!keys) this.#byGroup.set(groupId, (keys = new Set()));
    keys.add(key);
  }

  forgetGroup(groupId: number): void {
    const keys = this.#byGroup.get(groupId);
    if (!keys) return;
    this.#byGroup.delete(groupId);
    for (const k of keys) this.#entries.delete(k);
  }

  clear(): void {
    this.#byGroup.clear();
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Groups with at least one entry (the index's size; tests check it follows evictions). */
  get groupCount(): number {
    return this.#byGroup.size;
  }

  #unindex(groupId: number, key: string): void {
    const keys = this.#byGroup.get(groupId);
    if (!keys) return;
    keys.delete(key);
    if (keys.size === 0) this.#byGroup.delete(groupId);
  }
}
