// The pg driver, loaded when a PostgreSQL database is first opened rather
// than when Parley starts: an embedded (SQLite) server never needs it, and it
// and its dependencies are ~1 MiB of heap once loaded (bench/README.md, idle
// footprint). It is CommonJS, so it loads synchronously here.

import { createRequire } from 'node:module';
import type PG from 'pg';

let loaded: typeof PG | undefined;

export function pg(): typeof PG {
  return (loaded ??= createRequire(import.meta.url)('pg') as typeof PG);
}
