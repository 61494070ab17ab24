// Password accounts for people: sign up and sign in with a username and
// password, each answered with a user token. Every dialect that lets people
// register or sign in with a password goes through here (native /v1/auth,
// lanying /user/register/v2 and /token/*), so the sign-up switch and the
// limits on guessing hold whichever door is used. Passwords are hashed by
// Users (scrypt); guessing is bounded per client address and per username.

import type { Clock } from './clock.ts';
import { fail } from './errors.ts';
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

export interface AccountsSettings extends AccountLimits {
  /** Anyone may create a password account (PARLEY_SIGNUP). */
  signupOpen: boolean;
}

export const defaultAccountsSettings: AccountsSettings = { perAddress: 30, perHandle: 10, signupOpen: true };

export interface AccountsDeps {
  users: Users;
  tokens: Tokens;
  clock: Clock;
  settings: AccountsSettings;
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
    this.#byAddress = new RateLimiter(deps.clock, { limit: deps.settings.perAddress, windowMs: MINUTE });
    this.#byHandle = new RateLimiter(deps.clock, { limit: deps.settings.perHandle, windowMs: MINUTE });
  }

  /** Creates a password account (no token: lanying's register answers only the user). */
  async register(appId: number, input: { handle: string; password: string; displayName?: string }, address: string): Promise<User> {
    if (!this.#d.settings.signupOpen) throw fail('forbidden', 'sign-up is closed on this server');
    this.#byAddress.take(address);
    return this.#d.users.create(appId, {
      handle: input.handle,
      password: input.password,
      ...(input.displayName === undefined || input.displayName.trim() === '' ? {} : { displayName: input.displayName.trim() }),
    });
  }

  async signUp(appId: number, input: { handle: string; password: string; displayName?: string }, address: string): Promise<Session> {
    return this.#session(appId, await this.register(appId, input, address));
  }

  async logIn(appId: number, handle: string, password: string, address: string): Promise<Session> {
    return this.#guarded(appId, `${appId}:${handle.toLowerCase()}`, address, () => this.#d.users.verifyPassword(appId, handle, password));
  }

  /** Signs in by user id (lanying /token/id); an unknown id is the same failure as a wrong password. */
  async logInById(appId: number, userId: number, password: string, address: string): Promise<Session> {
    return this.#guarded(appId, `${appId}:#${userId}`, address, async () => {
      let handle: string;
      try {
        handle = (await this.#d.users.get(appId, userId)).handle;
      } catch {
        throw fail('invalid_credentials', 'wrong user id or password');
      }
      return this.#d.users.verifyPassword(appId, handle, password);
    });
  }

  /** Counts the attempt per address, refuses a guessed-at name, and counts a failure against it. */
  async #guarded(appId: number, handleKey: string, address: string, verify: () => Promise<User>): Promise<Session> {
    this.#byAddress.take(address);
    this.#byHandle.check(handleKey);
    try {
      return await this.#session(appId, await verify());
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
