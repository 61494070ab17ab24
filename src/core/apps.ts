import type { Clock } from './clock.ts';
import { fail } from './errors.ts';
import type { IdGenerator } from './ids.ts';
import type { App } from './model.ts';
import type { Store } from './ports.ts';
import { randomToken } from './secrets.ts';

export interface AppsDeps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
}

/** The id of the app made on first start. */
const DEFAULT_APP_ID = 1;

/** Apps are tenants: every user, group and message belongs to exactly one. */
export class Apps {
  readonly #d: AppsDeps;
  constructor(deps: AppsDeps) {
    this.#d = deps;
  }

  async create(name: string): Promise<App> {
    const trimmed = name.trim();
    if (trimmed.length === 0 || trimmed.length > 100) throw fail('invalid_argument', 'app name must be 1 to 100 characters');
    const app: App = { id: this.#d.ids.next(), name: trimmed, secret: randomToken('', 32), createdAt: this.#d.clock.now() };
    await this.#d.store.apps.insert(app);
    return app;
  }

  async get(id: number): Promise<App> {
    const app = await this.#d.store.apps.get(id);
    if (!app) throw fail('app_not_found', `app ${id} does not exist`);
    return app;
  }

  list(): Promise<App[]> {
    return this.#d.store.apps.list();
  }

  /**
   * Creates the default app unless it exists. Its id is fixed, so processes
   * starting together on one empty database create it once: the loser of the
   * race gets `undefined` (and prints no admin token).
   */
  async createDefault(): Promise<App | undefined> {
    const app: App = { id: DEFAULT_APP_ID, name: 'default', secret: randomToken('', 32), createdAt: this.#d.clock.now() };
    return (await this.#d.store.apps.insertIfAbsent(app)) ? app : undefined;
  }

  /** The app used when none is named: the oldest one. */
  async defaultApp(): Promise<App | undefined> {
    const apps = await this.#d.store.apps.list();
    return apps[0];
  }
}
