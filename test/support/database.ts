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

export async function createTestDatabase(): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-test-'));
  if (!testPostgresUrl) {
    return {
      url: '',
      dataDir,
      engine: 'sqlite',
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testPostgresUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const u = new URL(testPostgresUrl);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: u.toString(),
    dataDir,
    engine: 'postgres',
    async drop() {
      rmSync(dataDir, { recursive: true, force: true });
      const c = new pg.Client({ connectionString: testPostgresUrl });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    },
  };
}
