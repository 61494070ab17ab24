import { Migrator } from 'kysely/migration';
import type { Engine } from './engine.ts';
import { migrationProvider } from './migrations/index.ts';

export interface MigrationReport {
  applied: string[];
}

/** Brings the schema up to date; safe to run from several processes at once (Kysely locks). */
export async function migrateToLatest(engine: Engine): Promise<MigrationReport> {
  // Kysely looks for its bookkeeping tables by schema; name ours so that
  // databases with several schemas (one per test run) never share them.
  const schema = await engine.currentSchema();
  const migrator = new Migrator({ db: engine.db, provider: migrationProvider, ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error, results } = await engine.bulkWrite(() => migrator.migrateToLatest());
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${(error as Error).message ?? String(error)}`);
  }
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}
