import type { Clock } from './clock.ts';
import { fail } from './errors.ts';
import type { EventHub } from './events.ts';
import type { IdGenerator } from './ids.ts';
import type { Principal, TokenKind, TokenRecord } from './model.ts';
import type { RevokedToken, Store } from './ports.ts';
import { hashToken, randomToken } from './secrets.ts';
import { authorize } from './auth/principals.ts';
import { TokenCache } from './auth/token-cache.ts';
import { RevocationWatch } from './auth/revocation-watch.ts';

export interface TokensDeps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  events: EventHub;
  /** Default lifetime of a user token in seconds; 0 means no expiry. */
  userTokenTtlSeconds: number;
}

/** How long an authenticated token's principal is trusted without reading the store again. */
const CACHE_MS = 5_000;
const CACHE_ENTRIES = 50_000;

export interface IssuedToken {
  /** The bearer string; shown once, stored only as a hash. */
  token: string;
  record: TokenRecord;
}

const PREFIX: Record<TokenKind, string> = { user: 'pu_', admin: 'pa_' };

/**
 * Opaque bearer tokens: user tokens act as one user, admin tokens act for the
 * app. Authentication is cached (auth/token-cache.ts); every revocation this
 * process makes, is told of, or finds in the store drops the cache entry and
 * emits `token.revoked`, which ends the token's open sessions.
 */
export class Tokens {
  readonly #d: TokensDeps;
  readonly #cache: TokenCache;
  readonly #watch: RevocationWatch;
  constructor(deps: TokensDeps) {
    this.#d = deps;
    this.#cache = new TokenCache(deps.clock, { ttlMs: CACHE_MS, maxEntries: CACHE_ENTRIES });
    this.#watch = new RevocationWatch({ store: deps.store, clock: deps.clock, onRevoked: (r) => this.#announce(r) });
  }

  async issue(input: { appId: number; kind: TokenKind; userId?: number | null; ttlSeconds?: number }): Promise<IssuedToken> {
    const { store, clock, ids } = this.#d;
    if (input.kind === 'user') {
      if (input.userId == null) throw fail('invalid_argument', 'a user token needs a userId');
      const user = await store.users.get(input.userId);
      if (!user || user.appId !== input.appId) throw fail('user_not_found', `user ${input.userId} does not exist`);
    } else {
      await this.#requireApp(input.appId);
    }
    const ttl = input.ttlSeconds ?? (input.kind === 'user' ? this.#d.userTokenTtlSeconds : 0);
    if (!Number.isInteger(ttl) || ttl < 0) throw fail('invalid_argument', 'ttlSeconds must be a non-negative integer');
    const now = clock.now();
    const token = randomToken(PREFIX[input.kind]);
    const record: TokenRecord = {
      id: ids.next(),
      appId: input.appId,
      userId: input.kind === 'user' ? (input.userId ?? null) : null,
      kind: input.kind,
      tokenHash: hashToken(token),
      expiresAt: ttl > 0 ? now + ttl * 1000 : null,
      revokedAt: null,
      createdAt: now,
    };
    await store.tokens.insert(record);
    return { token, record };
  }

  /** A caller (the app admin) issues a token of its app. */
  async issueBy(caller: Principal, input: { kind: TokenKind; userId?: number | null; ttlSeconds?: number }): Promise<IssuedToken> {
    authorize(caller, 'tokens.issue');
    return this.issue({ ...input, appId: caller.appId });
  }

  /**
   * A caller revokes a token: its own (sign out; anyone), or any of its app's
   * by value or id (the app admin).
   */
  async revokeBy(caller: Principal, target: 'self' | { token: string } | { id: number }): Promise<void> {
    if (target === 'self') return this.revokeById(caller.appId, caller.tokenId);
    authorize(caller, 'tokens.revoke');
    return 'token' in target ? this.revokeToken(caller.appId, target.token) : this.revokeById(caller.appId, target.id);
  }

  /** Resolves a bearer string to who is calling, or fails with why not. */
  async authenticate(token: string | undefined): Promise<Principal> {
    if (!token) throw fail('unauthenticated', 'a token is required');
    const cached = this.#cache.get(token);
    if (cached) return cached;
    const askedAt = this.#cache.ask();
    const record = await this.#d.store.tokens.getByHash(hashToken(token));
    if (!record) throw fail('unauthenticated', 'the token is not valid');
    if (record.revokedAt !== null) throw fail('token_revoked', 'the token has been revoked');
    if (record.expiresAt !== null && record.expiresAt <= this.#d.clock.now()) throw fail('token_expired', 'the token has expired');
    const principal: Principal = { appId: record.appId, tokenId: record.id, userId: record.userId, isAdmin: record.kind === 'admin', ...(record.expiresAt !== null ? { expiresAt: record.expiresAt } : {}) };
    this.#cache.set(token, principal, askedAt);
    return principal;
  }

  /**
   * Another process revoked a token (the cache relay says so): its cached
   * principal goes at once. Without a token id (the bus may have lost
   * notifications) every cached principal goes.
   */
  revokedElsewhere(tokenId?: number): void {
    if (tokenId === undefined) return this.#cache.forgetAll();
    this.#cache.forget(tokenId);
    this.#watch.heard(tokenId);
  }

  /**
   * Looks in the store for revocations no one told this process about (made
   * by the CLI on the embedded setup, or announced on a bus that lost them)
   * and handles each like its own: cache entry dropped, `token.revoked`
   * emitted so that open sessions end. Run about once a second (src/housekeeping.ts).
   * If the look fails, nothing cached can be vouched for: the cache is emptied.
   */
  async catchUpRevocations(): Promise<number> {
    try {
      return await this.#watch.catchUp();
    } catch (e) {
      this.#cache.forgetAll();
      throw e;
    }
  }

  /**
   * Revokes every other token of the caller's user (after a password change):
   * sessions elsewhere end. Resolves with how many were revoked.
   */
  async revokeOthers(caller: Principal): Promise<number> {
    if (caller.userId === null) throw fail('forbidden', 'only a user token has other sessions to end');
    const revoked = await this.#d.store.tokens.revokeAllOfUser(caller.userId, caller.tokenId, this.#d.clock.now());
    for (const r of revoked) this.#announce(r);
    return revoked.length;
  }

  /** Revokes by bearer string. */
  async revokeToken(appId: number, token: string): Promise<void> {
    const record = await this.#d.store.tokens.getByHash(hashToken(token));
    if (!record || record.appId !== appId) throw fail('not_found', 'no such token');
    await this.#revoke(record);
  }

  /** Revokes by id (as listed when issued). */
  async revokeById(appId: number, id: number): Promise<void> {
    const record = await this.#d.store.tokens.get(id);
    if (!record || record.appId !== appId) throw fail('not_found', `token ${id} does not exist`);
    await this.#revoke(record);
  }

  async #revoke(record: TokenRecord): Promise<void> {
    const at = this.#d.clock.now();
    // Told to the watch before the write, so that a look in between does not announce it a second time.
    this.#watch.heard(record.id, at);
    const changed = await this.#d.store.tokens.revoke(record.id, at);
    if (!changed) {
      // Revoked by someone else first: the watch must still handle that revocation.
      this.#watch.retract(record.id);
      throw fail('conflict', `token ${record.id} is already revoked`);
    }
    this.#announce({ id: record.id, appId: record.appId, userId: record.userId, revokedAt: at });
  }

  /** One revocation, wherever it was learnt: the cache forgets it, the watch skips it, listeners hear it once. */
  #announce(r: RevokedToken): void {
    this.#cache.forget(r.id);
    this.#watch.heard(r.id, r.revokedAt);
    this.#d.events.emit({ type: 'token.revoked', appId: r.appId, tokenId: r.id, userId: r.userId });
  }

  async #requireApp(appId: number): Promise<void> {
    if (!(await this.#d.store.apps.get(appId))) throw fail('app_not_found', `app ${appId} does not exist`);
  }
}
