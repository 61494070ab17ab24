import type { Kysely, Selectable } from 'kysely';
import type { App } from '../../core/model.ts';
import type { AppRepo } from '../../core/ports.ts';
import type { Database } from '../schema.ts';
import type { AppsTable } from '../tables/foundation.ts';

const toApp = (r: Selectable<AppsTable>): App => ({ id: r.id, name: r.name, secret: r.secret, createdAt: r.created_at });

export function appRepo(db: Kysely<Database>): AppRepo {
  return {
    async insert(app) {
      await db.insertInto('apps').values({ id: app.id, name: app.name, secret: app.secret, created_at: app.createdAt }).execute();
    },
    async insertIfAbsent(app) {
      const r = await db
        .insertInto('apps')
        .values({ id: app.id, name: app.name, secret: app.secret, created_at: app.createdAt })
        .onConflict((oc) => oc.column('id').doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
    },
    async get(id) {
      const r = await db.selectFrom('apps').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toApp(r);
    },
    async list() {
      const rows = await db.selectFrom('apps').selectAll().orderBy('id').execute();
      return rows.map(toApp);
    },
  };
}
