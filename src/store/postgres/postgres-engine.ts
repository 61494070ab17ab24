import { pg } from './pg.ts';
import { Kysely, PostgresDialect, sql, type DatabaseIntrospector } from 'kysely';
import type { Database } from '../schema.ts';
import type { Engine } from '../engine.ts';
import { SearchPathIntrospector } from './postgres-introspector.ts';

const INT8_OID = 20;
const NUMERIC_OID = 1700;

// Parley's ids and times are 53-bit safe integers, so int8 is read as a
// JavaScript number (pg's default is a string). Scoped to this pool rather than
// set on pg's global type table.
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (v: string) => Number(v);
    return pg().types.getTypeParser(oid, format);
  },
};

export interface PostgresOptions {
  url: string;
  poolSize: number;
  /** Optional schema to run in (tests isolate runs by schema). */
  schema?: string;
}

/** Connections of the side pool (stream claims: one short statement each). */
const SIDE_POOL_SIZE = 2;

export function postgresEngine(options: PostgresOptions): Engine {
  const open = (max: number) => {
    const pool = new (pg().Pool)({
      connectionString: options.url,
      max,
      types,
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    });
    // An idle client that loses its connection must not crash the process.
    pool.on('error', () => {});
    return new Kysely<Database>({ dialect: new SearchPathDialect({ pool }) });
  };
  const db = open(options.poolSize);
  const sideDb = open(SIDE_POOL_SIZE);
  return {
    name: 'postgres',
    db,
    sideDb,
    supportsRowLocks: true,
    // PostgreSQL sizes nothing by the write rate.
    bulkWrite: (work) => work(),
    async currentSchema() {
      const r = await sql<{ s: string }>`select current_schema() as s`.execute(db);
      return r.rows[0]?.s;
    },
    async close() {
      await Promise.all([db.destroy(), sideDb.destroy()]);
    },
  };
}

/** PostgreSQL whose introspection sees only the search path (see postgres-introspector.ts). */
class SearchPathDialect extends PostgresDialect {
  override createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SearchPathIntrospector(db);
  }
}
