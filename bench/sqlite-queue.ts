// Many queries queued at once on the embedded engine's one connection — what
// happens when thousands of sockets close together and each reads a little
// for presence. Kysely's stock SQLite dialect (its lock wakes every waiter on
// each release) against the engine's FifoSqliteDialect (one wake-up per
// hand-over), alternately, in one process, on one in-memory database:
// prints the wall time and CPU time each takes for <queries> small reads.
//
//   node --disable-warning=ExperimentalWarning bench/sqlite-queue.ts [queries...]
//   default: 2500 5000 10000 20000

import { Kysely, SqliteDialect, sql, type Dialect } from 'kysely';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { FifoSqliteDialect } from '../src/store/sqlite/fifo-dialect.ts';
import { openSqlite } from '../src/store/sqlite/sqlite-database.ts';

const sizes = process.argv.slice(2).map(Number);

async function run(name: string, dialectOf: (database: ReturnType<typeof openSqlite>['database']) => Dialect, n: number) {
  const { database } = openSqlite(':memory:', { busyTimeoutMs: 5000, cacheMiB: 8 });
  const db = new Kysely<any>({ dialect: dialectOf(database) });
  await sql`CREATE TABLE t (n INTEGER PRIMARY KEY)`.execute(db);
  await sql`INSERT INTO t (n) VALUES (1)`.execute(db);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: n }, () => sql`SELECT n FROM t WHERE n = 1`.execute(db)));
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  await db.destroy();
  return { dialect: name, queries: n, ms: +ms.toFixed(1), cpuMs: +((cpu.user + cpu.system) / 1000).toFixed(1), load: loadavg()[0] };
}

for (const n of sizes.length > 0 ? sizes : [2500, 5000, 10_000, 20_000]) {
  console.log(JSON.stringify(await run('kysely SqliteDialect', (database) => new SqliteDialect({ database }), n)));
  console.log(JSON.stringify(await run('FifoSqliteDialect', (database) => new FifoSqliteDialect({ database }), n)));
}
