// Many Parley deployments (and every test run) may share one PostgreSQL
// database, one schema each. Dropping one of those schemas must never break
// another's start: the migrator's look at which tables exist once read every
// schema in the database and failed with `schema "<someone else's>" does not
// exist` when a drop landed mid-query (seen as flaky test-server starts).

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { openEngine } from '../../src/store/open.ts';
import { createTestDatabase, postgresOnlyUrl, skipUnlessPostgres } from '../support/database.ts';
import { startTestServer } from '../support/server.ts';

const skip = skipUnlessPostgres('schemas exist only on PostgreSQL');

describe('one PostgreSQL database shared by several schemas', { skip }, () => {
  // Another tenant of the database: schemas with tables that come and go.
  let churning = true;
  let dropped = 0;
  let churn: Promise<void>;
  before(() => {
    churn = (async () => {
      const c = new pg.Client({ connectionString: postgresOnlyUrl });
      await c.connect();
      try {
        while (churning) {
          const schema = `t_churn_${randomBytes(5).toString('hex')}`;
          await c.query(`CREATE SCHEMA ${schema}`);
          await c.query(`CREATE TABLE ${schema}.t (id bigserial primary key, a text, b int)`);
          await c.query(`DROP SCHEMA ${schema} CASCADE`);
          dropped++;
        }
      } finally {
        await c.end();
      }
    })();
  });
  after(async () => {
    churning = false;
    await churn;
  });

  test('the table listing the migrator relies on sees only its own schema and survives drops elsewhere', async () => {
    const db = await createTestDatabase({ postgres: true });
    const engine = openEngine({ databaseUrl: db.url, dataDir: db.dataDir, poolSize: 2 });
    try {
      await engine.db.schema.createTable('mine').addColumn('id', 'bigserial', (c) => c.primaryKey()).addColumn('note', 'text').execute();
      const mine = await engine.currentSchema();
      const start = dropped;
      const failures = new Set<string>();
      // Until 40 schemas were dropped elsewhere, or 5 s (a loaded machine drops fewer).
      const deadline = Date.now() + 5000;
      while (dropped < start + 40 && Date.now() < deadline) {
        try {
          const tables = await engine.db.introspection.getTables({ withInternalKyselyTables: true });
          assert.deepEqual(tables.map((t) => `${t.schema}.${t.name}`), [`${mine}.mine`]);
          assert.deepEqual(tables[0]!.columns.map((c) => [c.name, c.dataType, c.isAutoIncrementing, c.isNullable]), [['id', 'int8', true, false], ['note', 'text', false, true]]);
        } catch (e) {
          failures.add((e as Error).message);
        }
      }
      assert.ok(dropped >= start + 5, `other schemas were dropped meanwhile (${dropped - start})`);
      assert.deepEqual([...failures], []);
    } finally {
      await engine.close();
      await db.drop();
    }
  });

  test('a server starts (and migrates) while other schemas are dropped', async () => {
    const db = await createTestDatabase({ postgres: true });
    const s = await startTestServer({ db });
    await s.stop();
    await db.drop();
  });
});
