import type { Clock } from './clock.ts';
import { decodeCursor, encodeCursor, isPositiveInt } from './cursor.ts';
import { fail } from './errors.ts';
import { checkLine } from './text.ts';
import type { EventHub } from './events.ts';
import type { IdGenerator } from './ids.ts';
import type { Principal, Profile, User } from './model.ts';
import { authorize } from './auth/principals.ts';
import type { Page, Store, UserWithSecret } from './ports.ts';
import { randomBytes } from 'node:crypto';
import { hashPassword, verifyPassword } from './secrets.ts';

/**
 * A hash no password matches, checked for users that do not exist (or have no
 * password) so that they cost as much as a wrong password. Made once per process.
 */
let standIn: Promise<string> | undefined;
const standInHash = (): Promise<string> => (standIn ??= hashPassword(randomBytes(24).toString('base64')));

export interface UsersDeps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  events: EventHub;
}

export interface NewUser {
  handle: string;
  displayName?: string;
  avatar?: string;
  profile?: Profile;
  password?: string;
}

export interface UserPatch {
  displayName?: string;
  avatar?: string;
  profile?: Profile;
  password?: string;
}

// Handles are names people type and dialects carry (usernames, dtalk
// addresses): letters, digits and a few separators, and never all digits:
// every dialect also carries user ids as digits, so a numeric handle would be
// taken for someone else's id (lanying's register refused them for that
// reason). The one rule for every dialect (src/http/lanying/README.md).
const HANDLE = /^[\p{L}\p{N}_.@+-]{1,64}$/u;
const ALL_DIGITS = /^[0-9]+$/;

/** Throws invalid_argument unless `handle` is one a user may have. */
function checkHandle(handle: string): void {
  if (typeof handle !== 'string' || !HANDLE.test(handle)) throw fail('invalid_argument', 'handle must be 1 to 64 letters, digits or _ . @ + -');
  if (ALL_DIGITS.test(handle)) throw fail('invalid_argument', 'handle cannot be all digits (it would read as a user id)');
}
const MAX_NAME = 128;
const MAX_AVATAR = 2048;
const MAX_PROFILE_BYTES = 16 * 1024;
const MIN_PASSWORD = 8;
const MAX_PASSWORD = 256;

function checkPatch(p: UserPatch): void {
  if (p.displayName !== undefined && p.displayName.length > MAX_NAME) throw fail('invalid_argument', `displayName is longer than ${MAX_NAME} characters`);
  checkLine(p.displayName, 'displayName');
  if (p.avatar !== undefined && p.avatar.length > MAX_AVATAR) throw fail('invalid_argument', `avatar is longer than ${MAX_AVATAR} characters`);
  if (p.profile !== undefined) {
    if (typeof p.profile !== 'object' || p.profile === null || Array.isArray(p.profile)) throw fail('invalid_argument', 'profile must be an object');
    if (Buffer.byteLength(JSON.stringify(p.profile)) > MAX_PROFILE_BYTES) throw fail('invalid_argument', `profile is larger than ${MAX_PROFILE_BYTES} bytes`);
  }
  if (p.password !== undefined && (p.password.length < MIN_PASSWORD || p.password.length > MAX_PASSWORD)) {
    throw fail('invalid_argument', `password must be ${MIN_PASSWORD} to ${MAX_PASSWORD} characters`);
  }
}

const publicUser = ({ passwordHash: _omit, ...user }: UserWithSecret): User => user;

export class Users {
  readonly #d: UsersDeps;
  /** Password checks done (each one scrypt, known user or not): tests assert the work is spent. */
  readonly stats = { passwordChecks: 0 };
  constructor(deps: UsersDeps) {
    this.#d = deps;
  }

  async create(appId: number, input: NewUser): Promise<User> {
    const { store, clock, ids, events } = this.#d;
    checkHandle(input.handle);
    checkPatch(input);
    if (!(await store.apps.get(appId))) throw fail('app_not_found', `app ${appId} does not exist`);
    const now = clock.now();
    const user: UserWithSecret = {
      id: ids.next(),
      appId,
      handle: input.handle,
      displayName: input.displayName ?? input.handle,
      avatar: input.avatar ?? '',
      profile: input.profile ?? {},
      passwordHash: input.password === undefined ? null : await hashPassword(input.password),
      createdAt: now,
      updatedAt: now,
    };
    await store.users.insert(user);
    const created = publicUser(user);
    events.emit({ type: 'user.created', appId, user: created });
    return created;
  }

  /** A caller (the app admin) creates a user of its app. */
  async createBy(caller: Principal, input: NewUser): Promise<User> {
    authorize(caller, 'users.create');
    return this.create(caller.appId, input);
  }

  /** A caller (the app admin) lists its app's users. */
  async listBy(caller: Principal, opts: { cursor?: string; limit: number }): Promise<Page<User> & { total: number }> {
    authorize(caller, 'users.list');
    return this.list(caller.appId, opts);
  }

  /** A caller (the app admin) changes any user of its app; users change themselves through Accounts.updateSelf. */
  async updateBy(caller: Principal, id: number, patch: UserPatch): Promise<User> {
    authorize(caller, 'users.update');
    return this.update(caller.appId, id, patch);
  }

  /** The user with this handle, created on first sight (dialects whose users are external identities). */
  async ensure(appId: number, handle: string, defaults: Omit<NewUser, 'handle'> = {}): Promise<User> {
    const existing = await this.#d.store.users.getByHandle(appId, handle);
    if (existing) return publicUser(existing);
    try {
      return await this.create(appId, { handle, ...defaults });
    } catch (e) {
      // Two first requests raced; the other one created it.
      const again = await this.#d.store.users.getByHandle(appId, handle);
      if (again) return publicUser(again);
      throw e;
    }
  }

  async get(appId: number, id: number): Promise<User> {
    const u = await this.#d.store.users.get(id);
    if (!u || u.appId !== appId) throw fail('user_not_found', `user ${id} does not exist`);
    return publicUser(u);
  }

  async getByHandle(appId: number, handle: string): Promise<User> {
    const u = await this.#d.store.users.getByHandle(appId, handle);
    if (!u) throw fail('user_not_found', `user "${handle}" does not exist`);
    return publicUser(u);
  }

  /** Users by id, in the order asked, failing on the first unknown one. */
  async getMany(appId: number, ids: readonly number[]): Promise<User[]> {
    const found = new Map((await this.#d.store.users.getMany(ids)).filter((u) => u.appId === appId).map((u) => [u.id, u]));
    return ids.map((id) => {
      const u = found.get(id);
      if (!u) throw fail('user_not_found', `user ${id} does not exist`, { userId: id });
      return u;
    });
  }

  async update(appId: number, id: number, patch: UserPatch): Promise<User> {
    checkPatch(patch);
    await this.get(appId, id);
    const { password, ...rest } = patch;
    await this.#d.store.users.update(id, {
      ...rest,
      ...(password === undefined ? {} : { passwordHash: await hashPassword(password) }),
      updatedAt: this.#d.clock.now(),
    });
    const updated = await this.get(appId, id);
    this.#d.events.emit({ type: 'user.updated', appId, user: updated });
    return updated;
  }

  async list(appId: number, opts: { cursor?: string; limit: number }): Promise<Page<User> & { total: number }> {
    const after = opts.cursor ? decodeCursor(opts.cursor, isPositiveInt) : 0;
    const limit = Math.min(Math.max(opts.limit, 1), 200);
    const items = await this.#d.store.users.list(appId, after, limit + 1);
    const more = items.length > limit;
    const page = more ? items.slice(0, limit) : items;
    const total = await this.#d.store.users.count(appId);
    return { items: page, total, ...(more ? { next: encodeCursor(page[page.length - 1].id) } : {}) };
  }

  /**
   * Checks a user's password, named by handle or id: the same error, and the
   * same work (one scrypt), whether the user or the password is wrong, so
   * the answer's timing does not tell which users exist.
   */
  async verifyPassword(appId: number, who: string | { userId: number }, password: string): Promise<User> {
    const found = typeof who === 'string' ? await this.#d.store.users.getByHandle(appId, who) : await this.#d.store.users.get(who.userId);
    const u = found && found.appId === appId ? found : undefined;
    const matches = await verifyPassword(password, u?.passwordHash ?? (await standInHash()));
    this.stats.passwordChecks++;
    if (!u || !u.passwordHash || !matches) throw fail('invalid_credentials', typeof who === 'string' ? 'wrong username or password' : 'wrong user id or password');
    return publicUser(u);
  }

}
