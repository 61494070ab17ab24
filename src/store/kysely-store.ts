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
import { releaseClaims, type ClaimLedger } from './repos/message-stream.ts';
import { focusRepo, readPositionRepo } from './repos/messages-reads.ts';
import { groupRepos } from './repos/groups.ts';
import { pinRepo, reactionRepo } from './repos/annotations.ts';
import { presenceRepo } from './repos/presence.ts';
import { sqliteSearch } from './search/sqlite-search.ts';
import { postgresSearch } from './search/postgres-search.ts';
import { webhookRepos } from './repos/webhooks.ts';

/** Every repository over one Kysely handle (the pool, or one transaction: then `claims` collects its stream claims). */
export function repositories(db: Kysely<Database>, engine: Engine, claims?: ClaimLedger): Repositories {
  void engine;
  return {
    apps: appRepo(db),
    users: userRepo(db),
    tokens: tokenRepo(db),
    devices: deviceRepo(db),
    conversations: conversationRepo(db),
    messages: messageRepo(db, engine, claims),
    readPositions: readPositionRepo(db),
    focus: focusRepo(db),
    reactions: reactionRepo(db),
    pins: pinRepo(db),
    files: fileRepo(db),
    uploads: uploadRepo(db),
    calls: callRepo(db, engine),
    groups: groupRepos(db, engine),
    presence: presenceRepo(db),
    search: engine.name === 'postgres' ? postgresSearch(db) : sqliteSearch(db),
    webhooks: webhookRepos(db, engine),
  };
}

/** The Store port over a SQL engine. */
export function kyselyStore(engine: Engine): Store {
  const base = repositories(engine.db, engine);
  return {
    ...base,
    async transaction(fn) {
      const claims: ClaimLedger = [];
      try {
        return await engine.db.transaction().execute((trx) => fn(repositories(trx, engine, claims)));
      } catch (e) {
        // Positions claimed but never written: readers need not wait for them (see
        // repos/message-stream.ts). Should this fail, the next reader reaps them later.
        await releaseClaims(engine, claims).catch(() => {});
        throw e;
      }
    },
    async ping() {
      engine.assertWritable?.();
      await sql`select 1`.execute(engine.db);
    },
    close: () => engine.close(),
  };
}
