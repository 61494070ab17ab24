// Password accounts: sign up and sign in with a username (or user id) and a
// password, through every dialect (native /v1/auth/*, lanying /user/register/v2
// and /token/*). One switch opens or closes sign-up, and one set of limits
// bounds guessing, whichever API is used.
//
// The limits follow the "consecutive failures per (address, username) plus a
// looser per-username ceiling" scheme (OWASP's authentication cheat sheet;
// rate-limiter-flexible's login-protection example):
// - every attempt (sign-up or sign-in) counts against the client address;
// - a failed sign-in counts against the (address, username) pair: a guesser is
//   stopped without locking out the user, who signs in from elsewhere;
// - a failed sign-in also counts against the username's ceiling, ten times
//   looser, so that guessing spread over many addresses is bounded too.
// Attempts are counted before the password is hashed (concurrent guesses are
// all counted) and given back when the password was right.

import type { Clock } from './clock.ts';
import { fail, isParleyError } from './errors.ts';
import type { Principal, User } from './model.ts';
import { RateLimiter, type AttemptCounters } from './rate-limit.ts';
import type { Tokens } from './tokens.ts';
import type { UserPatch, Users } from './users.ts';

export interface AccountSettings {
  /** Whether anyone may create a password account (every dialect's sign-up). */
  signup: boolean;
  /** Sign-up and sign-in attempts per client address per minute. */
  perAddress: number;
  /** Failed sign-ins per (client address, username) pair per minute. */
  perAddressAndUser: number;
  /** Failed sign-ins per username per minute, from all addresses together. */
  perUser: number;
}

export const defaultAccountSettings: AccountSettings = { signup: true, perAddress: 30, perAddressAndUser: 10, perUser: 100 };

export interface AccountsDeps {
  users: Users;
  tokens: Tokens;
  clock: Clock;
  counters: AttemptCounters;
  settings: AccountSettings;
}

export interface Session {
  token: string;
  expiresAt: number | null;
  user: User;
}

/** Who signs in: a username, or (lanying /token/id) a user id. */
export type SignInName = { handle: string } | { userId: number };

const MINUTE = 60_000;

export class Accounts {
  readonly #d: AccountsDeps;
  readonly #byAddress: RateLimiter;
  readonly #byPair: RateLimiter;
  readonly #byUser: RateLimiter;

  constructor(deps: AccountsDeps) {
    this.#d = deps;
    const { clock, counters, settings } = deps;
    this.#byAddress = new RateLimiter(clock, counters, { name: 'auth-address', limit: settings.perAddress, windowMs: MINUTE });
    this.#byPair = new RateLimiter(clock, counters, { name: 'auth-pair', limit: settings.perAddressAndUser, windowMs: MINUTE });
    this.#byUser = new RateLimiter(clock, counters, { name: 'auth-user', limit: settings.perUser, windowMs: MINUTE });
  }

  /** Creates a password account (no token); refused when sign-up is closed. */
  async register(appId: number, input: { handle: string; password: string; displayName?: string }, address: string): Promise<User> {
    if (!this.#d.settings.signup) throw fail('forbidden', 'sign-up is closed on this server');
    await this.#byAddress.take(address);
    return this.#d.users.create(appId, {
      handle: input.handle,
      password: input.password,
      ...(input.displayName === undefined || input.displayName.trim() === '' ? {} : { displayName: input.displayName.trim() }),
    });
  }

  /** Creates a password account and signs it in. */
  async signUp(appId: number, input: { handle: string; password: string; displayName?: string }, address: string): Promise<Session> {
    return this.#session(appId, await this.register(appId, input, address));
  }

  /** Checks a password under the limits and answers a new user token. */
  async logIn(appId: number, who: SignInName, password: string, address: string): Promise<Session> {
    return this.#session(appId, await this.checkPassword(appId, who, password, address));
  }

  /** Checks a password under the limits (every route that checks one comes here). */
  async checkPassword(appId: number, who: SignInName, password: string, address: string): Promise<User> {
    await this.#byAddress.take(address);
    // By id or by name, one user is one key (guessing through both routes shares one count).
    const handle = 'handle' in who ? who.handle : (await this.#d.users.get(appId, who.userId).catch(() => undefined))?.handle;
    const name = handle !== undefined ? `${appId}:${handle.toLowerCase()}` : `${appId}#${'userId' in who ? who.userId : ''}`;
    const pair = await this.#byPair.take(`${address} ${name}`);
    const user = await this.#byUser.take(name);
    // A wrong password throws here and leaves the counts as they are.
    const ok = await this.#d.users.verifyPassword(appId, 'handle' in who ? who.handle : who, password);
    // A right password does not count as a failure: the pair starts over, the ceiling gets its attempt back.
    await Promise.all([this.#byPair.reset(pair), this.#byUser.refund(user)]);
    return ok;
  }

  /**
   * The caller changes their own profile. A new password needs the current
   * one (a stolen token must not become a stolen account), and then ends
   * every other session of the user.
   */
  async updateSelf(caller: Principal, patch: UserPatch & { currentPassword?: string }, address: string): Promise<{ user: User; revokedTokens: number }> {
    if (caller.userId === null) throw fail('forbidden', 'this route needs a user token');
    const { currentPassword, ...change } = patch;
    if (change.password !== undefined) {
      if (currentPassword === undefined) throw fail('invalid_argument', 'currentPassword is required to change the password', { field: 'currentPassword' });
      try {
        await this.checkPassword(caller.appId, { userId: caller.userId }, currentPassword, address);
      } catch (e) {
        // A wrong current password is a refusal of this change, not a failed sign-in of the caller's token.
        if (isParleyError(e) && e.code === 'invalid_credentials') throw fail('forbidden', 'currentPassword is not the current password', { field: 'currentPassword' });
        throw e;
      }
    }
    const user = await this.#d.users.update(caller.appId, caller.userId, change);
    const revokedTokens = change.password === undefined ? 0 : await this.#d.tokens.revokeOthers(caller);
    return { user, revokedTokens };
  }

  async #session(appId: number, user: User): Promise<Session> {
    const { token, record } = await this.#d.tokens.issue({ appId, kind: 'user', userId: user.id });
    return { token, expiresAt: record.expiresAt, user };
  }
}
