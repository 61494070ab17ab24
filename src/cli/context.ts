import type { Config } from '../config.ts';
import type { BackgroundFailure } from '../core/background.ts';
import { systemClock } from '../core/clock.ts';
import { createCore, type Core } from '../core/core.ts';
import { SnowflakeIds } from '../core/ids.ts';
import type { NodeLease } from '../core/node-lease.ts';
import { leaseNodeId } from '../node-identity.ts';
import { kyselyStore } from '../store/kysely-store.ts';
import { migrateToLatest } from '../store/migrate.ts';
import { openEngine } from '../store/open.ts';
import { announceCacheChanges } from '../bus/cache-sync.ts';
import { openBus } from '../bus/open.ts';
import { announceWebhookChanges } from '../bus/webhook-sync.ts';
import { memoryAttemptCounters } from '../limits/attempt-counters.ts';
import { bridgeEvents } from '../gateway/bridge.ts';
import { Topics } from '../gateway/envelope.ts';
import { eventTranslation } from '../gateway/from-core.ts';

/**
 * Core over the configured database, for one admin command. With a cluster
 * bus configured (Redis, NATS), what the command commits is announced on it
 * like a server would, so running servers act on it at once: a revoked token
 * closes its sessions and leaves every cache.
 */
export async function withCore<T>(config: Config, fn: (core: Core) => Promise<T>): Promise<T> {
  const engine = openEngine({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
  let ids: SnowflakeIds | undefined;
  let lease: NodeLease;
  try {
    await migrateToLatest(engine);
    // A node id of the admin-command range (src/core/ids.ts), never the server's.
    lease = await leaseNodeId(engine, {
      role: 'command',
      highWater: () => ids?.highWater() ?? 0,
      onRenewalProblem: ({ nodeId, error, lost }) =>
        process.stderr.write(`parley: ${lost ? `node id ${nodeId} was taken over by another process` : `renewing the lease of node id ${nodeId} failed: ${(error as Error)?.message}`}\n`),
    });
  } catch (e) {
    await engine.close();
    throw e;
  }
  const store = kyselyStore(engine);
  ids = new SnowflakeIds(systemClock, lease.nodeId, lease.floorId);
  const core = createCore({ store, clock: systemClock, ids, settings: { userTokenTtlSeconds: config.userTokenTtl }, onBackgroundError: reportToStderr, attempts: memoryAttemptCounters().counters });
  const bus = config.bus === '' || config.bus === 'local' ? undefined : await openBus(config.bus, reportToStderr).catch((e: unknown) => {
    process.stderr.write(`parley: the bus is unreachable (${(e as Error).message}); running servers learn of this command's changes when their caches expire\n`);
    return undefined;
  });
  if (bus) {
    bridgeEvents(core.events, bus, new Topics(config.busPrefix), eventTranslation);
    announceCacheChanges(core.events, bus, config.busPrefix);
    announceWebhookChanges(core.webhooks, bus, config.busPrefix);
  }
  try {
    return await fn(core);
  } finally {
    await bus?.close();
    await lease.release(ids.highWater()).catch((e: unknown) => process.stderr.write(`parley: releasing node id ${lease.nodeId} failed (it lapses by itself): ${(e as Error).message}\n`));
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
