import type { Migration, MigrationProvider } from 'kysely/migration';
import * as foundation from './0001-foundation.ts';
import * as groups from './0002-groups.ts';

// Every migration, in order. Names sort; each domain adds its own file.
const migrations: Record<string, Migration> = {
  '0001-foundation': foundation,
  '0002-groups': groups,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
