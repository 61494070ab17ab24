import type { Config } from '../config.ts';
import type { BackgroundFailure } from '../core/background.ts';
import { systemClock } from '../core/clock.ts';
import { createCore, type Core } from '../core/core.ts';
import { SnowflakeIds } from '../core/ids.ts';
import { kyselyStore } from '../store/kysely-store.ts';
import { migrateToLatest } from '../store/migrate.ts';
import { openEngine } from '../store/open.ts';

/** Core over the configured database, for one admin command. */
export async function withCore<T>(config: Config, fn: (core: Core) => Promise<T>): Promise<T> {
  const engine = openEngine({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
  await migrateToLatest(engine);
  const store = kyselyStore(engine);
  const core = createCore({ store, clock: systemClock, ids: new SnowflakeIds(systemClock, config.nodeId), settings: { userTokenTtlSeconds: config.userTokenTtl }, onBackgroundError: reportToStderr });
  try {
    return await fn(core);
  } finally {
    await store.close();
  }
}

/** Admin commands finish no calls and store no notices in the background; should one, it is said. */
function reportToStderr(f: BackgroundFailure): void {
  process.stderr.write(`parley: background ${f.task} failed (${JSON.stringify(f.subject)}): ${(f.error as Error)?.message ?? String(f.error)}\n`);
}

/** The app a command acts on: --app, else the default (oldest) app. */
export async function resolveApp(core: Core, app: string | undefined): Promise<number> {
  if (app !== undefined) {
    const id = Number(app);
    if (!Number.isSafeInteger(id)) throw new Error(`--app must be an app id, got "${app}"`);
    return (await core.apps.get(id)).id;
  }
  const def = await core.apps.defaultApp();
  if (!def) throw new Error('no app exists yet: run `parley app create --name NAME` or start the server once');
  return def.id;
}
