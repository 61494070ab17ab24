import { sql, type Kysely } from 'kysely';
import type { Repositories, Store } from '../core/ports.ts';
import type { Engine } from './engine.ts';
import type { Database } from './schema.ts';
import { appRepo } from './repos/apps.ts';
import { fileRepo, uploadRepo } from './repos/files.ts';
import { callRepo } from './repos/calls.ts';
import { tokenRepo } from './repos/tokens.ts';
import { userRepo } from './repos/users.ts';
import { deviceRepo } from './repos/devices.ts';
import { conversationRepo } from './repos/messages-conversations.ts';
import { messageRepo } from './repos/messages.ts';
import { focusRepo, readPositionRepo } from './repos/messages-reads.ts';
import { groupRepos } from './repos/groups.ts';
import { sqliteSearch } from './search/sqlite-search.ts';
import { postgresSearch } from './search/postgres-search.ts';
import { webhookRepos } from './repos/webhooks.ts';

/** Every repository over one Kysely handle (the pool, or one transaction). */
export function repositories(db: Kysely<Database>, engine: Engine): Repositories {
  void engine;
  return {
    apps: appRepo(db),
    users: userRepo(db),
    tokens: tokenRepo(db),
    devices: deviceRepo(db),
    conversations: conversationRepo(db),
    messages: messageRepo(db),
    readPositions: readPositionRepo(db),
    focus: focusRepo(db),
    files: fileRepo(db),
    uploads: uploadRepo(db),
    calls: callRepo(db, engine),
    groups: groupRepos(db, engine),
    search: engine.name === 'postgres' ? postgresSearch(db) : sqliteSearch(db),
    webhooks: webhookRepos(db, engine),
  };
}

/** The Store port over a SQL engine. */
export function kyselyStore(engine: Engine): Store {
  const base = repositories(engine.db, engine);
  return {
    ...base,
    transaction: (fn) => engine.db.transaction().execute((trx) => fn(repositories(trx, engine))),
    async ping() {
      await sql`select 1`.execute(engine.db);
    },
    close: () => engine.close(),
  };
}
