// The composition root: configuration → store → core → HTTP (+ gateway).
// The only file that knows every adapter; everything else receives ports.

import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import { systemClock, type Clock } from './core/clock.ts';
import { createCore, type Core } from './core/core.ts';
import { SnowflakeIds } from './core/ids.ts';
import { defaultMessagingSettings } from './core/messages/context.ts';
import { buildHttp } from './http/app.ts';
import { createMetrics, type Metrics } from './http/ops.ts';
import type { ReportBackgroundFailure } from './core/background.ts';
import { groupRoutes } from './http/native/routes/groups.ts';
import { groupMemberRoutes } from './http/native/routes/groups-members.ts';
import { groupRequestRoutes } from './http/native/routes/groups-requests.ts';
import { groupContentRoutes } from './http/native/routes/groups-content.ts';
import { messageRoutes } from './http/native/routes/messages.ts';
import { searchRoutes } from './http/native/routes/search.ts';
import { dialectPlugins } from './http/dialects.ts';
import { messageSyncRoutes } from './http/native/routes/messages-sync.ts';
import { openBlobs, storageAndCallSettings } from './blobs/open.ts';
import { startHousekeeping } from './housekeeping.ts';
import { fileRoutes } from './http/native/routes/files.ts';
import { uploadRoutes } from './http/native/routes/uploads.ts';
import { callRoutes } from './http/native/routes/calls.ts';
import { dtalkDialect } from './http/dtalk/index.ts';
import { createLogger } from './logger.ts';
import { kyselyStore } from './store/kysely-store.ts';
import { migrateToLatest } from './store/migrate.ts';
import { openEngine } from './store/open.ts';
import type { Bus } from './core/bus.ts';
import { openBus } from './bus/open.ts';
import { cacheTopic, relayCacheChanges } from './bus/cache-sync.ts';
import { forgetRevokedToken } from './http/native/message-auth.ts';
import { bridgeEvents } from './gateway/bridge.ts';
import { Topics } from './gateway/envelope.ts';
import { gatewayRoutes } from './gateway/endpoint.ts';
import { eventTranslation, gatewayCore } from './gateway/from-core.ts';
import { GatewayNode } from './gateway/node.ts';

export interface Bootstrap {
  appId: number;
  adminToken: string;
}

export interface RunningServer {
  app: FastifyInstance;
  core: Core;
  config: Config;
  /** This process's WebSocket gateway (sessions, delivery). */
  gateway: GatewayNode;
  bus: Bus;
  /** http://host:port actually bound. */
  url: string;
  /** Set when this start created the default app (first start on an empty database). */
  bootstrap?: Bootstrap;
  close(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  logger?: Logger;
}

export async function startServer(config: Config, opts: StartOptions = {}): Promise<RunningServer> {
  const logger = opts.logger ?? createLogger(config);
  const clock = opts.clock ?? systemClock;
  const engine = openEngine({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.databasePoolSize, sqliteSync: config.sqliteSync, sqliteCacheMiB: config.sqliteCacheMiB });
  try {
    const { applied } = await migrateToLatest(engine);
    if (applied.length > 0) logger.info({ applied, engine: engine.name }, 'database migrated');
  } catch (e) {
    await engine.close();
    throw e;
  }
  const store = kyselyStore(engine);
  const ids = new SnowflakeIds(clock, config.nodeId);
  const messaging = { revokeWindowSeconds: config.revokeWindow, maxBytes: config.messageMaxBytes, maxTextChars: config.messageMaxText, gateCacheMs: config.groupRuleCacheMs, dtalk: { ...defaultMessagingSettings.dtalk, revokeWindowSeconds: config.dtalkRevokeWindow } };
  const blobs = openBlobs(config);
  const groups = { defaultCapacity: config.groupDefaultCapacity, maxCapacity: config.groupMaxCapacity, maxAdmins: config.groupMaxAdmins, applicationTtlMs: config.groupRequestTtl * 1000, invitationTtlMs: config.groupRequestTtl * 1000, qrCodeTtlMs: config.groupQrCodeTtl * 1000 };
  // Made before core so that core's background failures can be counted.
  const metrics = createMetrics();
  const onBackgroundError = backgroundFailureReporter(logger, metrics);
  const core = createCore({ store, clock, ids, blobs, onBackgroundError, settings: { userTokenTtlSeconds: config.userTokenTtl, messaging, groups, ...storageAndCallSettings(config) } });

  let bus: Bus;
  try {
    bus = await openBus(config.bus);
  } catch (e) {
    await store.close();
    throw e;
  }
  bridgeEvents(core.events, bus, new Topics(config.busPrefix), eventTranslation);
  // Caches of group rules and of tokens follow changes made by other processes.
  const stopRelay = await relayCacheChanges(core.events, bus, cacheTopic(config.busPrefix), {
    groupRulesChanged: (groupId) => core.messages.groupRulesChanged(groupId),
    tokenRevoked: (tokenId) => forgetRevokedToken(core, tokenId),
  });
  const gateway = new GatewayNode({
    core: gatewayCore(core),
    bus,
    logger: logger.child({ component: 'gateway' }),
    settings: {
      busPrefix: config.busPrefix,
      nodeId: config.nodeId,
      queueBytes: config.wsQueueBytes,
      heartbeatMs: config.wsHeartbeatMs,
      idleTimeoutMs: config.wsIdleTimeoutMs,
      maxFrameBytes: config.wsMaxFrameBytes,
      resumeLimit: config.wsResumeLimit,
      reorderWaitMs: config.wsReorderWaitMs,
    },
  });

  const bootstrap = await bootstrapDefaultApp(core);
  const nativeRoutes = [groupRoutes, groupMemberRoutes, groupRequestRoutes, groupContentRoutes, messageRoutes, messageSyncRoutes, searchRoutes, gatewayRoutes(gateway), fileRoutes, uploadRoutes, callRoutes];
  const plugins: ((app: FastifyInstance) => Promise<void>)[] = [...dialectPlugins(core)];
  plugins.push(dtalkDialect(core, config, bus));
  const app = await buildHttp({ config, core, logger, metrics, nativeRoutes, plugins });
  const stopHousekeeping = startHousekeeping(core, logger);
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      const grace = setTimeout(() => app.server.closeAllConnections(), config.shutdownGraceMs);
      grace.unref();
      try {
        await gateway.close();
        await app.close();
      } finally {
        clearTimeout(grace);
        stopRelay();
        await bus.close();
        stopHousekeeping();
        await blobs.close?.();
        await store.close();
      }
    })());

  return { app, core, config, gateway, bus, url, close, ...(bootstrap ? { bootstrap } : {}) };
}

/** On an empty database: the default app and its first admin token (shown once). */
async function bootstrapDefaultApp(core: Core): Promise<Bootstrap | undefined> {
  if (await core.apps.defaultApp()) return undefined;
  const app = await core.apps.createDefault();
  if (!app) return undefined;
  const { token } = await core.tokens.issue({ appId: app.id, kind: 'admin' });
  return { appId: app.id, adminToken: token };
}

/** Core's background failures become an error log line and a count on /metrics. */
function backgroundFailureReporter(logger: Logger, metrics: Metrics): ReportBackgroundFailure {
  const log = logger.child({ component: 'core' });
  return ({ task, appId, subject, error }) => {
    metrics.backgroundFailures.inc({ task });
    log.error({ err: error, task, appId, ...subject }, `background ${task.replace('_', ' ')} failed`);
  };
}
