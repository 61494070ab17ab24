// A core without HTTP, for the rule tests under test/core/: a real store (a
// fresh SQLite file, or a fresh PostgreSQL schema when
// PARLEY_TEST_DATABASE_URL is set), a clock the test moves by hand, and one
// app. A rule's test then needs neither a server nor a sleep.

import { isParleyError } from '../../src/core/errors.ts';
import { memoryAttemptCounters } from '../../src/limits/attempt-counters.ts';
import type { BackgroundFailure } from '../../src/core/background.ts';
import { ManualClock } from '../../src/core/clock.ts';
import { createCore, type Core, type CoreSettings } from '../../src/core/core.ts';
import type { DomainEvent } from '../../src/core/events.ts';
import type { Actor } from '../../src/core/groups/model.ts';
import { SnowflakeIds } from '../../src/core/ids.ts';
import { kyselyStore } from '../../src/store/kysely-store.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import type { Engine } from '../../src/store/engine.ts';
import { openEngine } from '../../src/store/open.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export interface TestCore {
  core: Core;
  clock: ManualClock;
  appId: number;
  db: TestDatabase;
  /** The app's admin credential as a group actor. */
  admin: Actor;
  /** A user of the app acting as themselves. */
  as(userId: number): Actor;
  /** Creates users; answers their ids. */
  users(n: number): Promise<number[]>;
  /** Every domain event emitted since start (or since the last `events.length = 0`). */
  events: DomainEvent[];
  /** Background failures core reported (a finished call's record). */
  failures: BackgroundFailure[];
  close(): Promise<void>;
}

let handles = 0;

export async function startTestCore(opts: { settings?: Partial<CoreSettings>; start?: number; postgres?: boolean; engine?: (e: Engine) => Engine } = {}): Promise<TestCore> {
  const db = await createTestDatabase({ postgres: opts.postgres ?? false });
  const engine = openEngine({ databaseUrl: db.url, dataDir: db.dataDir, poolSize: 10 });
  await migrateToLatest(engine);
  // A test may watch the engine (test/core/groups/large-groups-cost.test.ts counts queries and rows).
  const store = kyselyStore(opts.engine ? opts.engine(engine) : engine);
  const clock = new ManualClock(opts.start ?? Date.UTC(2026, 0, 1));
  const failures: BackgroundFailure[] = [];
  const core = createCore({
    store,
    clock,
    ids: new SnowflakeIds(clock, 1),
    onBackgroundError: (f) => failures.push(f),
    attempts: memoryAttemptCounters().counters,
    settings: { userTokenTtlSeconds: 3600, ...opts.settings },
  });
  const events: DomainEvent[] = [];
  core.events.on((e) => events.push(e));
  const app = await core.apps.create('rules');
  return {
    core,
    clock,
    appId: app.id,
    db,
    admin: { appId: app.id, userId: null, appAdmin: true },
    as: (userId) => ({ appId: app.id, userId, appAdmin: false }),
    async users(n) {
      const ids: number[] = [];
      for (let i = 0; i < n; i++) ids.push((await core.users.create(app.id, { handle: `u${++handles}_${Math.random().toString(36).slice(2, 8)}` })).id);
      return ids;
    },
    events,
    failures,
    async close() {
      await store.close();
      await db.drop();
    },
  };
}

/** What a core call came to: 'ok', or the code of the ParleyError it threw (anything else is rethrown). */
export const codeOf = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (isParleyError(e)) return e.code;
    throw e;
  }
};
