// Rows PostgreSQL's scans of one table read, per statement this process runs
// through Kysely: each SELECT naming the table is run again under EXPLAIN
// ANALYZE and the actual rows of every plan node on the table are summed
// (rows × loops), so a test can bound what a read costs the database, not
// only what it returns. PostgreSQL only; one watcher at a time.

import { CompiledQuery, DefaultQueryExecutor } from 'kysely';

export interface RowsRead {
  /** Rows read from the table by each statement since the last reset, in order. */
  readonly perStatement: number[];
  reset(): void;
  close(): void;
}

interface PlanNode {
  'Relation Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  Plans?: PlanNode[];
}

const rowsOn = (node: PlanNode, table: string): number =>
  (node['Relation Name'] === table ? (node['Actual Rows'] ?? 0) * (node['Actual Loops'] ?? 1) : 0) + (node.Plans ?? []).reduce((n, p) => n + rowsOn(p, table), 0);

export function watchRowsRead(table: string): RowsRead {
  const base = Object.getPrototypeOf(DefaultQueryExecutor.prototype) as { executeQuery: (q: CompiledQuery, ...rest: unknown[]) => Promise<{ rows: unknown[] }> };
  const original = base.executeQuery;
  const perStatement: number[] = [];
  const names = new RegExp(`\\bfrom\\s+"?${table}"?\\b`, 'i');
  base.executeQuery = async function (this: unknown, q: CompiledQuery, ...rest: unknown[]) {
    const result = await original.call(this, q, ...rest);
    if (/^\s*select\b/i.test(q.sql) && names.test(q.sql)) {
      const explained = await original.call(this, CompiledQuery.raw(`explain (analyze, format json) ${q.sql}`, [...q.parameters]), ...rest);
      const row = explained.rows[0] as { 'QUERY PLAN': { Plan: PlanNode }[] | string };
      const plan = typeof row['QUERY PLAN'] === 'string' ? (JSON.parse(row['QUERY PLAN']) as { Plan: PlanNode }[]) : row['QUERY PLAN'];
      perStatement.push(rowsOn(plan[0].Plan, table));
    }
    return result;
  };
  return {
    perStatement,
    reset: () => void (perStatement.length = 0),
    close() {
      base.executeQuery = original;
    },
  };
}
