// Password accounts for people (the browser client): sign up and sign in with
// a username and password, each answered with a user token. Passwords are
// hashed by Users (scrypt); guessing is bounded per client address and per
// username.

import type { Clock } from './clock.ts';
import type { User } from './model.ts';
import { RateLimiter } from './rate-limit.ts';
import type { Tokens } from './tokens.ts';
import type { Users } from './users.ts';

export interface AccountLimits {
  /** Sign-up and sign-in attempts per client address per minute. */
  perAddress: number;
  /** Failed sign-ins per username per minute. */
  perHandle: number;
}

export interface AccountsDeps {
  users: Users;
  tokens: Tokens;
  clock: Clock;
  limits: AccountLimits;
}

export interface Session {
  token: string;
  expiresAt: number | null;
  user: User;
}

const MINUTE = 60_000;

export class Accounts {
  readonly #d: AccountsDeps;
  readonly #byAddress: RateLimiter;
  readonly #byHandle: RateLimiter;

  constructor(deps: AccountsDeps) {
    this.#d = deps;
    this.#byAddress = new RateLimiter(deps.clock, { limit: deps.limits.perAddress, windowMs: MINUTE });
    this.#byHandle = new RateLimiter(deps.clock, { limit: deps.limits.perHandle, windowMs: MINUTE });
  }

  async signUp(appId: number, input: { handle: string; password: string; displayName?: string }, address: string): Promise<Session> {
    this.#byAddress.take(address);
    const user = await this.#d.users.create(appId, {
      handle: input.handle,
      password: input.password,
      ...(input.displayName === undefined || input.displayName.trim() === '' ? {} : { displayName: input.displayName.trim() }),
    });
    return this.#session(appId, user);
  }

  async logIn(appId: number, handle: string, password: string, address: string): Promise<Session> {
    const handleKey = `${appId}:${handle.toLowerCase()}`;
    this.#byAddress.take(address);
    this.#byHandle.check(handleKey);
    try {
      const user = await this.#d.users.verifyPassword(appId, handle, password);
      return await this.#session(appId, user);
    } catch (e) {
      this.#byHandle.hit(handleKey);
      throw e;
    }
  }

  async #session(appId: number, user: User): Promise<Session> {
    const { token, record } = await this.#d.tokens.issue({ appId, kind: 'user', userId: user.id });
    return { token, expiresAt: record.expiresAt, user };
  }
}
