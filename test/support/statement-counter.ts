// Counts the SQL statements this process runs through Kysely, by kind and by
// table, on either engine: every repository query, the group commit's
// statements inside its transactions and the prepared hot-path queries all
// go through Kysely's query executor, which is wrapped here. Transaction
// control (BEGIN/COMMIT) goes through the driver and is not counted; the
// store spy (store-spy.ts) counts `transaction` calls.
//
// One counter for the whole process: a test opens it around the window it
// measures and closes it after (nesting is not supported).

import { DefaultQueryExecutor, type CompiledQuery } from 'kysely';

export interface StatementCounter {
  /** Statements since the last reset. */
  total(): number;
  /** Statements whose first keyword is SELECT (or a WITH … SELECT). */
  reads(): number;
  /** Statements that name `table` (FROM, JOIN, INTO, UPDATE), by kind: { select: 2, insert: 1 }. */
  on(table: string): Record<string, number>;
  /** Statements of each table, as "select group_members" → count. */
  readonly byTable: Map<string, number>;
  reset(): void;
  /** Puts the executor back as it was. */
  close(): void;
}

/**
 * Tables a statement names, whether quoted (Kysely) or not (hand-written
 * SQL); a common table expression counts under its own name. Not a function
 * in FROM (`from clock_timestamp()`: a name right before a parenthesis), not
 * ON CONFLICT's `do update set`.
 */
const TABLES = /\b(?:from|join|into|update)\s+(?!set\b)"?([a-z_][a-z0-9_]*)\b"?(?!\()/gi;

/** The statement's kind: select, insert, update, delete (a WITH … counts as what follows it). */
function kindOf(sql: string): string {
  const s = sql.trimStart().toLowerCase();
  if (s.startsWith('with')) return /\)\s*(select|insert|update|delete)\b/.exec(s)?.[1] ?? 'with';
  return /^[a-z]+/.exec(s)?.[0] ?? '?';
}

export function countStatements(): StatementCounter {
  const base = Object.getPrototypeOf(DefaultQueryExecutor.prototype) as { executeQuery: (q: CompiledQuery, ...rest: unknown[]) => Promise<unknown> };
  const original = base.executeQuery;
  const byTable = new Map<string, number>();
  let total = 0;
  let reads = 0;
  base.executeQuery = function (this: unknown, q: CompiledQuery, ...rest: unknown[]) {
    total++;
    const kind = kindOf(q.sql);
    if (kind === 'select') reads++;
    for (const table of new Set([...q.sql.matchAll(TABLES)].map((m) => m[1].toLowerCase()))) {
      const key = `${kind} ${table}`;
      byTable.set(key, (byTable.get(key) ?? 0) + 1);
    }
    return original.call(this, q, ...rest);
  };
  return {
    byTable,
    total: () => total,
    reads: () => reads,
    on(table) {
      const out: Record<string, number> = {};
      for (const [key, n] of byTable) {
        const [kind, t] = key.split(' ');
        if (t === table) out[kind] = (out[kind] ?? 0) + n;
      }
      return out;
    },
    reset() {
      byTable.clear();
      total = 0;
      reads = 0;
    },
    close() {
      base.executeQuery = original;
    },
  };
}
