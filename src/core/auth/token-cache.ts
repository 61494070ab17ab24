// The principal behind a bearer token, remembered for a few seconds: every
// authenticated request of every dialect (and every WebSocket hello) would
// otherwise cost a store read. An entry lives at most `ttlMs` and never past
// its token's expiry, and is dropped as soon as this process learns of the
// token's revocation: from its own revocations at once, from other processes
// through the cache relay (src/bus/cache-sync.ts) or the revocation watch
// (./revocation-watch.ts), whichever comes first.

import type { LRUCache } from 'lru-cache';
import { lruCache } from '../lru.ts';
import type { Clock } from '../clock.ts';
import type { Principal } from '../model.ts';

interface Entry {
  principal: Principal;
  until: number;
}

export class TokenCache {
  readonly #clock: Clock;
  readonly #ttlMs: number;
  /** Keyed by the bearer string, least recently used evicted first. */
  readonly #byToken: LRUCache<string, Entry>;
  /** The index that makes a revocation one lookup instead of a scan of every entry. */
  readonly #tokenOfId = new Map<number, string>();
  // A logical clock orders store reads against revocations (wall time can
  // stand still in tests): when each token was last heard revoked, and when
  // everything was last dropped.
  #counter = 0;
  #clearedAt = -1;
  readonly #revokedAt = new Map<number, number>();

  constructor(clock: Clock, opts: { ttlMs: number; maxEntries: number }) {
    this.#clock = clock;
    this.#ttlMs = opts.ttlMs;
    this.#byToken = lruCache<string, Entry>(opts.maxEntries, {
      dispose: (entry, token) => {
        if (this.#tokenOfId.get(entry.principal.tokenId) === token) this.#tokenOfId.delete(entry.principal.tokenId);
      },
    });
  }

  get(token: string): Principal | undefined {
    const hit = this.#byToken.get(token);
    if (!hit) return undefined;
    if (hit.until > this.#clock.now()) return { ...hit.principal };
    this.#byToken.delete(token);
    return undefined;
  }

  /**
   * Remembers `principal` unless a revocation was heard since `askedAt` (the
   * moment the store was read): an answer read before a revocation must not
   * outlive it.
   */
  set(token: string, principal: Principal, askedAt: number): void {
    if (this.#clearedAt >= askedAt || (this.#revokedAt.get(principal.tokenId) ?? -1) >= askedAt) return;
    const until = Math.min(this.#clock.now() + this.#ttlMs, principal.expiresAt ?? Number.MAX_SAFE_INTEGER);
    this.#byToken.set(token, { principal: { ...principal }, until });
    this.#tokenOfId.set(principal.tokenId, token);
  }

  /** A token was revoked: its entry goes at once. */
  forget(tokenId: number): void {
    // Bounded: past 10,000 remembered revocations, every read in flight is distrusted instead.
    if (this.#revokedAt.size >= 10_000) {
      this.#revokedAt.clear();
      this.#clearedAt = this.#tick();
    }
    this.#revokedAt.set(tokenId, this.#tick());
    const token = this.#tokenOfId.get(tokenId);
    if (token !== undefined) this.#byToken.delete(token);
  }

  /** Any token may have been revoked (notifications lost, the watch failed): everything goes. */
  forgetAll(): void {
    this.#clearedAt = this.#tick();
    this.#revokedAt.clear();
    this.#byToken.clear();
    this.#tokenOfId.clear();
  }

  get size(): number {
    return this.#byToken.size;
  }

  /** The moment to pass to `set` for a store read starting now. */
  ask(): number {
    return this.#tick();
  }

  #tick(): number {
    return ++this.#counter;
  }
}
