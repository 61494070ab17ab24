// A Parley cluster as operators run one: N `parley serve` processes on one
// PostgreSQL schema and one broker (Redis or NATS), behind nginx running the
// shipped configuration. Clients talk to nginx only; the processes are
// reachable directly for the tests that must bypass the proxy.

import { randomBytes } from 'node:crypto';
import { createTestDatabase, testPostgresUrl, type TestDatabase } from './database.ts';
import { call } from './http.ts';
import { skipUnlessNginx, startNginx, type TestNginx } from './nginx.ts';
import { parleyProcess, type ParleyProcess } from './parley-process.ts';
import { freePort } from './ports.ts';
import type { S3Options } from '../../src/blobs/s3/s3-blobs.ts';

export const brokers = {
  redis: process.env.PARLEY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
  nats: process.env.PARLEY_TEST_NATS_URL ?? 'nats://127.0.0.1:4222',
} as const;

export interface TestCluster {
  /** nginx: the only address clients use. */
  url: string;
  nginx: TestNginx;
  nodes: ParleyProcess[];
  db: TestDatabase;
  adminToken: string;
  /** A user with a token, made through nginx with the admin token. */
  user(handle?: string): Promise<{ id: number; handle: string; token: string }>;
  stop(): Promise<void>;
}

let made = 0;

export async function startCluster(opts: { bus: string; nodes?: number; env?: Record<string, string> }): Promise<TestCluster> {
  const db = await createTestDatabase({ postgres: true });
  const count = opts.nodes ?? 3;
  const ports = await Promise.all(Array.from({ length: count }, () => freePort()));
  // nginx's port is chosen first: it is the public URL every process signs links with.
  const nginxPort = await freePort();
  const env = {
    PARLEY_PUBLIC_URL: `http://127.0.0.1:${nginxPort}`,
    DATABASE_URL: db.url,
    PARLEY_DATA_DIR: db.dataDir,
    PARLEY_BUS: opts.bus,
    // A prefix of our own: other test runs share the broker.
    PARLEY_BUS_PREFIX: `c${randomBytes(5).toString('hex')}`,
    PARLEY_TRUSTED_PROXIES: '127.0.0.1',
    ...opts.env,
  };
  const nodes = ports.map((port, i) => parleyProcess({ nodeId: i + 1, port, env }));
  let nginx: TestNginx | undefined;
  const stop = async () => {
    await Promise.all(nodes.map((n) => n.stop('SIGTERM')));
    await nginx?.stop();
    await db.drop();
  };
  try {
    // The first start migrates the schema and creates the default app (its
    // admin token is printed once); then the others, together.
    await nodes[0]!.start();
    const adminToken = /^ {2}(\S+)$/m.exec(nodes[0]!.stdout.split('shown only this once')[1] ?? '')?.[1];
    if (!adminToken) throw new Error(`no admin token in the first node's output: ${nodes[0]!.stdout.slice(0, 500)}`);
    await Promise.all(nodes.slice(1).map((n) => n.start()));
    nginx = await startNginx(ports, nginxPort);
    const url = nginx.url;
    return {
      url,
      nginx,
      nodes,
      db,
      adminToken,
      async user(handle) {
        const h = handle ?? `u${++made}_${randomBytes(3).toString('hex')}`;
        const u = await call(url, 'POST', '/v1/users', { token: adminToken, body: { handle: h } });
        if (u.status !== 201) throw new Error(`creating a user: ${u.status} ${u.text}`);
        const t = await call(url, 'POST', '/v1/tokens', { token: adminToken, body: { kind: 'user', userId: u.body.id } });
        if (t.status !== 201) throw new Error(`issuing a token: ${t.status} ${t.text}`);
        return { id: u.body.id as number, handle: h, token: t.body.token as string };
      },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

/**
 * The `skip` option of a cluster test: they run on the suite's PostgreSQL pass
 * only (PARLEY_TEST_DATABASE_URL set), since the processes must share one
 * database, and need nginx. Skipped with the reason otherwise (also on CI's
 * SQLite pass, so these long tests run once per CI run, not twice).
 */
export function skipUnlessCluster(): string | false {
  if (!testPostgresUrl) return 'the cluster tests run on PostgreSQL only (set PARLEY_TEST_DATABASE_URL): several processes cannot share one SQLite file';
  return skipUnlessNginx();
}

/** The environment that puts a cluster's files in the S3 emulator (test/support/s3.ts). */
export function s3Env(options: S3Options): Record<string, string> {
  return {
    PARLEY_BLOB_STORE: 's3',
    PARLEY_S3_BUCKET: options.bucket,
    PARLEY_S3_ENDPOINT: options.endpoint,
    PARLEY_S3_REGION: options.region,
    PARLEY_S3_ACCESS_KEY_ID: options.accessKeyId,
    PARLEY_S3_SECRET_ACCESS_KEY: options.secretAccessKey,
    PARLEY_S3_PATH_STYLE: String(options.forcePathStyle),
    PARLEY_S3_PREFIX: options.prefix ?? '',
  };
}

/**
 * Time allowed to a cluster suite and its parts. On an idle machine a whole
 * cluster file runs in well under a minute; most of it is starting Node
 * processes, which on a loaded machine (the project's 2-core host with other
 * suites running: load average above 20) took over a minute each. The limit
 * only stops a hung run; the tests wait for signals, never for fixed times.
 */
export const CLUSTER_TIMEOUT = 600_000;
