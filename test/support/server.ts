// Starts a real Parley (real HTTP on a free port, a real database) for a test.

import type { Logger } from 'pino';
import { loadConfig, type Config } from '../../src/config.ts';
import { ManualClock } from '../../src/core/clock.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import type { FlushWrapper } from '../../src/store/sqlite/log-flush.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export interface TestServer extends RunningServer {
  adminToken: string;
  appId: number;
  clock: ManualClock | undefined;
  db: TestDatabase;
  /** Stops the server and drops its database. */
  stop(): Promise<void>;
}

export interface TestServerOptions {
  /** Use a manual clock (expiry tests move it instead of sleeping). */
  manualClock?: boolean | ManualClock;
  config?: Partial<Config>;
  /** Reuse a database (multi-process tests). */
  db?: TestDatabase;
  /** The server's logger (tests that read what it logs); silent by default. */
  logger?: Logger;
  /** Embedded SQLite: wraps each flush of its log to disk (hold a commit). */
  sqliteWrapFlush?: FlushWrapper;
}

export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const db = opts.db ?? (await createTestDatabase());
  const config = loadConfig({
    env: {},
    overrides: { host: '127.0.0.1', port: 0, logLevel: 'silent', databaseUrl: db.url, dataDir: db.dataDir, docs: true, ...opts.config },
  });
  const clock = opts.manualClock === true ? new ManualClock(Date.now()) : opts.manualClock || undefined;
  const server = await startServer(config, { ...(clock ? { clock } : {}), ...(opts.logger ? { logger: opts.logger } : {}), ...(opts.sqliteWrapFlush ? { sqliteWrapFlush: opts.sqliteWrapFlush } : {}) });
  let adminToken = server.bootstrap?.adminToken;
  let appId = server.bootstrap?.appId;
  if (!adminToken || !appId) {
    const app = await server.core.apps.defaultApp();
    if (!app) throw new Error('no default app');
    appId = app.id;
    adminToken = (await server.core.tokens.issue({ appId, kind: 'admin' })).token;
  }
  return {
    ...server,
    adminToken,
    appId,
    clock,
    db,
    async stop() {
      await server.close();
      if (!opts.db) await db.drop();
    },
  };
}
