// The composition root: configuration → store → core → HTTP (+ gateway).
// The only file that knows every adapter; everything else receives ports.

import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { settings, type Config } from './config.ts';
import { systemClock, type Clock } from './core/clock.ts';
import { createCore, type Core } from './core/core.ts';
import { SnowflakeIds } from './core/ids.ts';
import { defaultMessagingSettings } from './core/messages/context.ts';
import type { NodeLease } from './core/node-lease.ts';
import { leaseNodeId } from './node-identity.ts';
import { buildHttp } from './http/app.ts';
import { createMetrics, type Metrics } from './http/ops.ts';
import { registerRuntimeMetrics } from './http/runtime-metrics.ts';
import { expectedFailures, type ReportBackgroundFailure } from './core/background.ts';
import { groupRoutes } from './http/native/routes/groups.ts';
import { groupMemberRoutes } from './http/native/routes/groups-members.ts';
import { groupRequestRoutes } from './http/native/routes/groups-requests.ts';
import { groupContentRoutes } from './http/native/routes/groups-content.ts';
import { messageRoutes } from './http/native/routes/messages.ts';
import { dialectEarlyAnswers, dialectPlugins } from './http/dialects.ts';
import { searchRoutes } from './http/native/routes/search.ts';
import { annotationRoutes } from './http/native/routes/annotations.ts';
import { messageSyncRoutes } from './http/native/routes/messages-sync.ts';
import { openBlobs, storageAndCallSettings } from './blobs/open.ts';
import { startHousekeeping } from './housekeeping.ts';
import { fileRoutes } from './http/native/routes/files.ts';
import { uploadRoutes } from './http/native/routes/uploads.ts';
import { callRoutes } from './http/native/routes/calls.ts';
import { dtalkDialect } from './http/dtalk/index.ts';
import { dtalkEarlyAnswer } from './http/dtalk/early-answer.ts';
import { createLogger } from './logger.ts';
import { listeningUrl } from './http/public-url.ts';
import { kyselyStore } from './store/kysely-store.ts';
import { migrateToLatest } from './store/migrate.ts';
import { openEngine } from './store/open.ts';
import type { FlushWrapper } from './store/sqlite/log-flush.ts';
import type { Bus } from './core/bus.ts';
import { openBus } from './bus/open.ts';
import { memoryAttemptCounters, redisAttemptCounters } from './limits/attempt-counters.ts';
import { cacheTopic, relayCacheChanges } from './bus/cache-sync.ts';
import { bridgeEvents } from './gateway/bridge.ts';
import { Topics } from './gateway/envelope.ts';
import { gatewayRoutes } from './http/native/routes/socket.ts';
import { eventTranslation, gatewayCore } from './gateway/from-core.ts';
import { GatewayNode } from './gateway/node.ts';
import { Presence } from './core/presence/presence.ts';
import { CachedGroupGate } from './core/messages/gate-cache.ts';
import { EphemeralPublisher } from './gateway/ephemeral.ts';
import { presenceRoutes } from './http/native/routes/presence.ts';
import { httpTransport } from './webhooks/http-transport.ts';
import { startWebhookDelivery, webhookMetrics } from './webhooks/start.ts';
import { relayWebhookChanges, webhookTopic } from './bus/webhook-sync.ts';
import { webhookRoutes } from './http/native/routes/webhooks.ts';

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
  /** Typing and presence (ephemeral; last seen written in batches). */
  presence: Presence;
  bus: Bus;
  /** What /metrics serves. */
  metrics: Metrics;
  /** http://host:port actually bound. */
  url: string;
  /** Set when this start created the default app (first start on an empty database). */
  bootstrap?: Bootstrap;
  close(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  logger?: Logger;
  /** The /metrics registry (main registers the process-fault counter in it first). */
  metrics?: Metrics;
  /**
   * Told when this server must not go on: another process took its node id
   * (its lease lapsed, e.g. while the database was unreachable), so ids may
   * collide. main ends the process (src/process-faults.ts); without it, logged.
   */
  onFatal?: (error: Error) => void;
  /** Tests: wraps each flush of the embedded SQLite's log to disk (to hold a commit and watch what waits). */
  sqliteWrapFlush?: FlushWrapper;
}

/** The server could not bind its address; the message names the setting to change. */
export class ListenError extends Error {}

export async function startServer(config: Config, opts: StartOptions = {}): Promise<RunningServer> {
  const logger = opts.logger ?? createLogger(config);
  const clock = opts.clock ?? systemClock;
  const engine = openEngine({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.databasePoolSize,
    sqliteSync: config.sqliteSync,
    sqliteCacheMiB: config.sqliteCacheMiB,
    ...(opts.sqliteWrapFlush ? { sqliteWrapFlush: opts.sqliteWrapFlush } : {}),
  });
  try {
    const { applied } = await migrateToLatest(engine);
    if (applied.length > 0) logger.info({ applied, engine: engine.name }, 'database migrated');
  } catch (e) {
    await engine.close();
    throw e;
  }
  // Our node id, held as a lease so that no other live process makes ids with it.
  let ids: SnowflakeIds | undefined;
  let lease: NodeLease;
  try {
    lease = await leaseNodeId(engine, {
      role: 'server',
      nodeId: config.nodeId,
      highWater: () => ids?.highWater() ?? 0,
      onRenewalProblem: ({ nodeId, error, lost }) => {
        if (!lost) {
          logger.error({ err: error, nodeId }, 'renewing the node id lease failed; retrying');
          return;
        }
        const fault = new Error(`node id ${nodeId} was taken over by another process while this server held it: ids may collide`);
        if (opts.onFatal) opts.onFatal(fault);
        else logger.error({ err: fault, nodeId }, fault.message);
      },
    });
  } catch (e) {
    await engine.close();
    throw e;
  }
  const store = kyselyStore(engine);
  ids = new SnowflakeIds(clock, config.nodeId, lease.floorId);
  const messaging = { revokeWindowSeconds: config.revokeWindow, editWindowSeconds: config.editWindow, maxBytes: config.messageMaxBytes, maxTextChars: config.messageMaxText, gateCacheMs: config.groupRuleCacheMs, maxReactionEmoji: config.reactionMaxEmoji, maxReactionsPerUser: config.reactionMaxPerUser, maxPins: config.pinMax, dtalk: { ...defaultMessagingSettings.dtalk, revokeWindowSeconds: config.dtalkRevokeWindow } };
  const blobs = await openBlobs(config);
  const groups = { defaultCapacity: config.groupDefaultCapacity, maxCapacity: config.groupMaxCapacity, maxAdmins: config.groupMaxAdmins, applicationTtlMs: config.groupRequestTtl * 1000, invitationTtlMs: config.groupRequestTtl * 1000, qrCodeTtlMs: config.groupQrCodeTtl * 1000 };
  // Made before core so that core's background failures can be counted.
  const metrics = opts.metrics ?? createMetrics();
  const onBackgroundError = backgroundFailureReporter(logger, metrics);
  // Sign-in limits hold cluster-wide when the processes share Redis; otherwise each counts its own.
  const attempts = config.bus.startsWith('redis://') || config.bus.startsWith('rediss://') ? await redisAttemptCounters(config.bus, config.busPrefix) : memoryAttemptCounters();
  const accounts = { signup: config.signup, perAddress: config.authRatePerIp, perAddressAndUser: config.authRatePerHandle, perUser: config.authRatePerUser };
  const webhooks = { failingAfter: config.webhookFailingAfter, cacheMs: config.groupRuleCacheMs, moderation: { timeoutMs: config.moderationTimeoutMs, onFailure: config.moderationOnFailure } };
  const core = createCore({ store, clock, ids, blobs, onBackgroundError, attempts: attempts.counters, webhookTransport: httpTransport, settings: { userTokenTtlSeconds: config.userTokenTtl, messaging, groups, accounts, webhooks, ...storageAndCallSettings(config) } });

  let bus: Bus;
  try {
    bus = await openBus(config.bus, onBackgroundError);
  } catch (e) {
    await attempts.close();
    await lease.release(ids.highWater()).catch(() => {});
    await store.close();
    throw e;
  }
  bridgeEvents(core.events, bus, new Topics(config.busPrefix), eventTranslation);
  // Typing and presence: their own cache of group rules (a typing signal reads nothing), and their own bus topic for rosters.
  const presenceGate = new CachedGroupGate(core.groupGate, clock, core.events, config.groupRuleCacheMs);
  const presence = new Presence({
    store,
    clock,
    gate: presenceGate,
    bus,
    rosterTopic: `${config.busPrefix}.presence`,
    nodeId: config.nodeId,
    settings: { groupLimit: config.presenceGroupLimit, flushMs: config.presenceFlushMs, typingIntervalMs: config.typingIntervalMs },
    report: onBackgroundError,
  });
  await presence.start(new EphemeralPublisher(bus, new Topics(config.busPrefix)));
  // Caches of group rules and of tokens follow changes made by other processes.
  const stopRelay = await relayCacheChanges(core.events, bus, cacheTopic(config.busPrefix), {
    groupRulesChanged: (groupId) => {
      core.messages.groupRulesChanged(groupId);
      if (groupId === undefined) presenceGate.forgetAll();
      else presenceGate.forgetGroup(groupId);
    },
    tokenRevoked: (tokenId) => core.tokens.revokedElsewhere(tokenId),
  });
  const stopWebhookRelay = await relayWebhookChanges(core.webhooks, bus, webhookTopic(config.busPrefix));
  webhookMetrics(core, metrics);
  const gateway = new GatewayNode({
    core: gatewayCore(core, presence),
    bus,
    logger: logger.child({ component: 'gateway' }),
    report: onBackgroundError,
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

  registerRuntimeMetrics(metrics, { gateway: () => gateway.snapshot(), commits: () => core.messages.commitStats, pingDatabase: () => core.store.ping() });

  const bootstrap = await bootstrapDefaultApp(core);
  const nativeRoutes = [webhookRoutes, groupRoutes, groupMemberRoutes, groupRequestRoutes, groupContentRoutes, messageRoutes, annotationRoutes, messageSyncRoutes, searchRoutes, gatewayRoutes(gateway), presenceRoutes(presence), fileRoutes, uploadRoutes, callRoutes];
  const plugins: ((app: FastifyInstance) => Promise<void>)[] = [...dialectPlugins(core)];
  plugins.push(dtalkDialect(core, config, bus, onBackgroundError));
  const app = await buildHttp({ config, core, logger, metrics, nativeRoutes, plugins, earlyAnswers: [...dialectEarlyAnswers, dtalkEarlyAnswer], draining: () => gateway.draining });
  const stopHousekeeping = startHousekeeping(core, onBackgroundError);
  const delivery = startWebhookDelivery(core, config, httpTransport, metrics, onBackgroundError, `${config.nodeId}:${process.pid}:${ids.next()}`);
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (e) {
    // Nothing is served yet: undo the start so the process can exit with the message alone.
    const undo = (what: string) => (err: unknown) => logger.warn({ err }, `after the failed start, ${what} failed`);
    stopHousekeeping();
    await delivery.stop().catch(undo('stopping webhook delivery'));
    stopWebhookRelay();
    await gateway.close().catch(undo('closing the gateway'));
    await presence.close().catch(undo('closing presence'));
    await app.close().catch(undo('closing the HTTP server'));
    stopRelay();
    await bus.close().catch(undo('closing the bus'));
    await blobs.close?.().catch(undo('closing the blob store'));
    await lease.release(ids.highWater()).catch(undo('releasing the node id lease'));
    await attempts.close().catch(undo('closing the sign-in counters'));
    await store.close();
    throw listenError(e, config, bootstrap !== undefined);
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = listeningUrl(config.host, port);
  app.publicUrl.listening(url);
  if (!config.publicUrl && !isLoopback(config.host)) {
    logger.warn({ publicUrl: app.publicUrl.base }, 'PARLEY_PUBLIC_URL is not set: download and upload URLs name the listening address; set it to the address clients use');
  }

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      const grace = setTimeout(() => app.server.closeAllConnections(), config.shutdownGraceMs);
      grace.unref();
      try {
        await gateway.close();
        await app.close();
      } finally {
        // After the gateway: its sessions' last-seen times are written in the final batch.
        await presence.close().catch((e: unknown) => logger.error({ err: e }, 'closing presence failed'));
        clearTimeout(grace);
        stopRelay();
        stopWebhookRelay();
        await delivery.stop();
        await bus.close();
        await attempts.close();
        stopHousekeeping();
        await blobs.close?.();
        await lease.release(ids.highWater()).catch((e: unknown) => logger.error({ err: e }, 'releasing the node id lease failed; it lapses by itself'));
        await store.close();
      }
    })());

  return { app, core, config, gateway, presence, bus, metrics, url, close, ...(bootstrap ? { bootstrap } : {}) };
}

/** A bind failure in operator's terms: which address, why, and which setting changes it. */
function listenError(e: unknown, config: Config, createdDefaultApp: boolean): unknown {
  const code = (e as { code?: string }).code;
  const where = `${config.host}:${config.port}`;
  // Its admin token is shown only once the server listens: say how to get one.
  const change = `set another with ${settings.port.env} (${settings.port.flag})${createdDefaultApp ? '. The default app was created meanwhile: `parley token issue --admin` prints an admin token for it' : ''}`;
  if (code === 'EADDRINUSE') return new ListenError(`port ${config.port} is already in use (${where}): stop the other process or ${change}`);
  if (code === 'EACCES') return new ListenError(`not allowed to listen on port ${config.port} (${where}; ports below 1024 need privileges): ${change}`);
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return new ListenError(`address ${config.host} is not available on this machine: set another with ${settings.host.env} (${settings.host.flag})${createdDefaultApp ? '. The default app was created meanwhile: `parley token issue --admin` prints an admin token for it' : ''}`);
  return e;
}

const isLoopback = (host: string) => host === 'localhost' || host === '::1' || host.startsWith('127.');

/** On an empty database: the default app and its first admin token (shown once). */
async function bootstrapDefaultApp(core: Core): Promise<Bootstrap | undefined> {
  if (await core.apps.defaultApp()) return undefined;
  const app = await core.apps.createDefault();
  if (!app) return undefined;
  const { token } = await core.tokens.issue({ appId: app.id, kind: 'admin' });
  return { appId: app.id, adminToken: token };
}

/**
 * Failures nobody can be told about (core/background.ts) become a count on
 * /metrics and a log line: a warning for what networks do (a peer gone, a
 * broker restarting), an error for lost work. Every failure is counted, but
 * a run of one task's failures (every publish while the broker is down) logs
 * at most LOG_BURST lines a second, then one line saying how many were not logged.
 */
function backgroundFailureReporter(logger: Logger, metrics: Metrics): ReportBackgroundFailure {
  const log = logger.child({ component: 'background' });
  const windows = new Map<string, { logged: number; suppressed: number }>();
  return ({ task, appId, subject, error }) => {
    metrics.backgroundFailures.inc({ task });
    let w = windows.get(task);
    if (!w) {
      const fresh = { logged: 0, suppressed: 0 };
      windows.set(task, (w = fresh));
      // The window closes a second later, saying what it kept quiet.
      setTimeout(() => {
        windows.delete(task);
        if (fresh.suppressed > 0) log.warn({ task, suppressed: fresh.suppressed }, `${fresh.suppressed} more ${task.replace('_', ' ')} failures in the last second were counted but not logged`);
      }, 1000).unref();
    }
    if (w.logged >= LOG_BURST) {
      w.suppressed++;
      return;
    }
    w.logged++;
    const level = expectedFailures.has(task) ? 'warn' : 'error';
    log[level]({ err: error, task, ...(appId !== undefined ? { appId } : {}), ...subject }, `background ${task.replace('_', ' ')} failed`);
  };
}

const LOG_BURST = 20;
