// Each test server gets its own database: a fresh SQLite file, or a fresh
// PostgreSQL schema when PARLEY_TEST_DATABASE_URL points at PostgreSQL (CI
// runs the whole suite both ways). Runs never see each other's data.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface TestDatabase {
  /** DATABASE_URL for the server under test. */
  url: string;
  dataDir: string;
  engine: 'sqlite' | 'postgres';
  drop(): Promise<void>;
}

export const testPostgresUrl = process.env.PARLEY_TEST_DATABASE_URL ?? '';

/** The database CI provides (.ci/run starts it); overridable for other CI hosts. */
const CI_POSTGRES_URL = process.env.PARLEY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * PostgreSQL for the tests that exist only there (several processes, several
 * schemas): the suite's own database, or in CI (CI=true) the CI database even
 * on the SQLite pass — in CI such a test runs, and fails if it cannot, never
 * skips silently.
 */
export const postgresOnlyUrl = testPostgresUrl || (process.env.CI === 'true' ? CI_POSTGRES_URL : '');

/** The `skip` option of a PostgreSQL-only test: a reason locally without PostgreSQL, never in CI. */
export const skipUnlessPostgres = (reason: string): string | false => (postgresOnlyUrl ? false : reason);

export async function createTestDatabase(opts: { postgres?: boolean } = {}): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-test-'));
  const postgresUrl = opts.postgres ? postgresOnlyUrl : testPostgresUrl;
  if (opts.postgres && !postgresUrl) throw new Error('this test needs PostgreSQL: set PARLEY_TEST_DATABASE_URL');
  if (!postgresUrl) {
    return {
      url: '',
      dataDir,
      engine: 'sqlite',
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const u = new URL(postgresUrl);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: u.toString(),
    dataDir,
    engine: 'postgres',
    async drop() {
      rmSync(dataDir, { recursive: true, force: true });
      const c = new pg.Client({ connectionString: postgresUrl });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    },
  };
}
