// Storage faults for tests of what happens when a write fails: a trigger that
// makes the database itself refuse some inserts, on SQLite or PostgreSQL,
// installed from outside the server under test (its own connection).

import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import type { TestDatabase } from './database.ts';

/** From now on, inserting into `table` a row whose `column` is `value` fails with `refused by the test`. */
export async function refuseInserts(db: TestDatabase, table: string, column: string, value: string | number): Promise<void> {
  const name = `refuse_${table}_${String(value).replace(/\W/g, '_')}`;
  // A number stays a number: SQLite compares an integer column with a text literal as unequal.
  const literal = typeof value === 'number' ? String(Math.trunc(value)) : `'${value.replace(/'/g, "''")}'`;
  if (db.engine === 'sqlite') {
    const raw = new DatabaseSync(join(db.dataDir, 'parley.db'));
    try {
      raw.exec(`CREATE TRIGGER ${name} BEFORE INSERT ON ${table} WHEN NEW.${column} = ${literal} BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`);
    } finally {
      raw.close();
    }
    return;
  }
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    await c.query(`CREATE OR REPLACE FUNCTION refuse_by_test() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$`);
    await c.query(`CREATE TRIGGER ${name} BEFORE INSERT ON ${table} FOR EACH ROW WHEN (NEW.${column} = ${literal}) EXECUTE FUNCTION refuse_by_test()`);
  } finally {
    await c.end();
  }
}
