// dtalk names users by address; core by id. Addresses are user handles in
// the dtalk app, created on first sight (a message to an address nobody has
// used yet is a message to a future user). Handles never change, so the
// id → address direction is cached (the least recently used go first when full).

import { lruCache } from '../../core/lru.ts';
import type { Core } from '../../core/core.ts';
import type { Names } from './records/translate.ts';

const CACHE_LIMIT = 50_000;

export class DtalkNames {
  readonly #core: Core;
  readonly #addresses = lruCache<number, string>(CACHE_LIMIT);

  constructor(core: Core) {
    this.#core = core;
  }

  async idOf(appId: number, address: string): Promise<number> {
    const user = await this.#core.users.ensure(appId, address);
    this.#remember(user.id, user.handle);
    return user.id;
  }

  async addressOf(appId: number, userId: number): Promise<string> {
    const known = this.#addresses.get(userId);
    if (known !== undefined) return known;
    const user = await this.#core.users.get(appId, userId);
    this.#remember(user.id, user.handle);
    return user.handle;
  }

  /** The resolver translate.ts needs, bound to one app. */
  forApp(appId: number): Names {
    return {
      idsOf: (addresses) => Promise.all(addresses.map((a) => this.idOf(appId, a))),
      addressOf: (id) => this.addressOf(appId, id),
    };
  }

  #remember(id: number, handle: string): void {
    this.#addresses.set(id, handle);
  }
}
