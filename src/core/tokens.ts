import type { Clock } from './clock.ts';
import { fail } from './errors.ts';
import type { EventHub } from './events.ts';
import type { IdGenerator } from './ids.ts';
import type { Principal, TokenKind, TokenRecord } from './model.ts';
import type { Store } from './ports.ts';
import { hashToken, randomToken } from './secrets.ts';

export interface TokensDeps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  events: EventHub;
  /** Default lifetime of a user token in seconds; 0 means no expiry. */
  userTokenTtlSeconds: number;
}

export interface IssuedToken {
  /** The bearer string; shown once, stored only as a hash. */
  token: string;
  record: TokenRecord;
}

const PREFIX: Record<TokenKind, string> = { user: 'pu_', admin: 'pa_' };

/** Opaque bearer tokens: user tokens act as one user, admin tokens act for the app. */
export class Tokens {
  readonly #d: TokensDeps;
  constructor(deps: TokensDeps) {
    this.#d = deps;
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

  /** Resolves a bearer string to who is calling, or fails with why not. */
  async authenticate(token: string | undefined): Promise<Principal> {
    if (!token) throw fail('unauthenticated', 'a token is required');
    const record = await this.#d.store.tokens.getByHash(hashToken(token));
    if (!record) throw fail('unauthenticated', 'the token is not valid');
    if (record.revokedAt !== null) throw fail('token_revoked', 'the token has been revoked');
    if (record.expiresAt !== null && record.expiresAt <= this.#d.clock.now()) throw fail('token_expired', 'the token has expired');
    return { appId: record.appId, tokenId: record.id, userId: record.userId, isAdmin: record.kind === 'admin', ...(record.expiresAt !== null ? { expiresAt: record.expiresAt } : {}) };
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
    const changed = await this.#d.store.tokens.revoke(record.id, this.#d.clock.now());
    if (!changed) throw fail('conflict', `token ${record.id} is already revoked`);
    this.#d.events.emit({ type: 'token.revoked', appId: record.appId, tokenId: record.id, userId: record.userId });
  }

  async #requireApp(appId: number): Promise<void> {
    if (!(await this.#d.store.apps.get(appId))) throw fail('app_not_found', `app ${appId} does not exist`);
  }
}
