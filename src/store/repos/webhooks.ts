// Webhook endpoints, moderation hooks and the outbox (src/core/webhooks/ports.ts).
// The lease is one transaction: pick the due head of each (endpoint, key) and
// stamp it with the lease. On PostgreSQL the pick locks its rows FOR UPDATE
// SKIP LOCKED, so two processes leasing at once take different rows; SQLite
// serialises writers (one process per database file).

import { sql, type Kysely, type Selectable } from 'kysely';
import type { LeasedDelivery, WebhookCategory, WebhookEndpoint } from '../../core/webhooks/model.ts';
import type { WebhookRepos } from '../../core/webhooks/ports.ts';
import type { Engine } from '../engine.ts';
import type { Database } from '../schema.ts';
import type { WebhookEndpointsTable } from '../tables/webhooks.ts';

const toEndpoint = (r: Selectable<WebhookEndpointsTable>): WebhookEndpoint => ({
  id: r.id,
  appId: r.app_id,
  url: r.url,
  secret: r.secret,
  categories: JSON.parse(r.categories) as WebhookCategory[],
  createdAt: r.created_at,
  consecutiveFailures: r.consecutive_failures,
  lastError: r.last_error,
  lastFailureAt: r.last_failure_at,
  lastSuccessAt: r.last_success_at,
});

/** The longest error text kept per row: enough to say what went wrong. */
const ERROR_CHARS = 500;

export function webhookRepos(db: Kysely<Database>, engine: Pick<Engine, 'supportsRowLocks'>): WebhookRepos {
  const failure = (endpointId: number, at: number, error: string) =>
    db
      .updateTable('webhook_endpoints')
      .set((eb) => ({ consecutive_failures: eb('consecutive_failures', '+', 1), last_error: error.slice(0, ERROR_CHARS), last_failure_at: at }))
      .where('id', '=', endpointId)
      .execute();

  return {
    registry: {
      async insertEndpoint(e) {
        await db.insertInto('webhook_endpoints').values({ id: e.id, app_id: e.appId, url: e.url, secret: e.secret, categories: JSON.stringify(e.categories), created_at: e.createdAt, last_error: null, last_failure_at: null, last_success_at: null }).execute();
      },
      async endpoint(appId, id) {
        const r = await db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).where('app_id', '=', appId).executeTakeFirst();
        return r && toEndpoint(r);
      },
      async endpoints(appId) {
        const rows = await db.selectFrom('webhook_endpoints').selectAll().where('app_id', '=', appId).orderBy('id').execute();
        return rows.map(toEndpoint);
      },
      async hasEndpoints() {
        return (await db.selectFrom('webhook_endpoints').select('id').limit(1).executeTakeFirst()) !== undefined;
      },
      async updateEndpoint(appId, id, patch) {
        const set: Partial<Record<'url' | 'secret' | 'categories', string>> = {};
        if (patch.url !== undefined) set.url = patch.url;
        if (patch.secret !== undefined) set.secret = patch.secret;
        if (patch.categories !== undefined) set.categories = JSON.stringify(patch.categories);
        if (Object.keys(set).length === 0) return (await this.endpoint(appId, id)) !== undefined;
        const r = await db.updateTable('webhook_endpoints').set(set).where('id', '=', id).where('app_id', '=', appId).executeTakeFirst();
        return Number(r.numUpdatedRows) > 0;
      },
      async deleteEndpoint(appId, id) {
        const r = await db.deleteFrom('webhook_endpoints').where('id', '=', id).where('app_id', '=', appId).executeTakeFirst();
        if (Number(r.numDeletedRows) === 0) return false;
        await db.deleteFrom('webhook_outbox').where('endpoint_id', '=', id).execute();
        return true;
      },
      async moderation(appId) {
        const r = await db.selectFrom('webhook_moderation').selectAll().where('app_id', '=', appId).executeTakeFirst();
        return r && { appId: r.app_id, url: r.url, secret: r.secret, createdAt: r.created_at };
      },
      async putModeration(h) {
        await db
          .insertInto('webhook_moderation')
          .values({ app_id: h.appId, url: h.url, secret: h.secret, created_at: h.createdAt })
          .onConflict((oc) => oc.column('app_id').doUpdateSet({ url: h.url, secret: h.secret, created_at: h.createdAt }))
          .execute();
      },
      async deleteModeration(appId) {
        const r = await db.deleteFrom('webhook_moderation').where('app_id', '=', appId).executeTakeFirst();
        return Number(r.numDeletedRows) > 0;
      },
      async failingCounts(threshold) {
        const rows = await db
          .selectFrom('webhook_endpoints')
          .select((eb) => ['app_id', eb.fn.countAll<number>().as('n')])
          .where('consecutive_failures', '>=', threshold)
          .groupBy('app_id')
          .execute();
        return rows.map((r) => ({ appId: r.app_id, count: Number(r.n) }));
      },
    },

    outbox: {
      async enqueue(entries) {
        if (entries.length === 0) return;
        await db
          .insertInto('webhook_outbox')
          .values(entries.map((e) => ({ event_id: e.eventId, app_id: e.appId, endpoint_id: e.endpointId, ordering_key: e.orderingKey, type: e.type, payload: e.payload, created_at: e.createdAt, next_at: e.createdAt, lease_owner: null, last_error: null })))
          .execute();
      },
      async hasDue(now) {
        const row = await db.selectFrom('webhook_outbox').select('position').where('next_at', '<=', now).where('lease_until', '<=', now).limit(1).executeTakeFirst();
        return row !== undefined;
      },
      async lease(owner, now, leaseUntil, limit) {
        return db.transaction().execute(async (trx) => {
          let pick = trx
            .selectFrom('webhook_outbox as o')
            .select('o.position')
            .where('o.next_at', '<=', now)
            .where('o.lease_until', '<=', now)
            // Only the head of its (endpoint, key): an earlier row, leased or waiting for a retry, holds the rest back.
            .where(({ not, exists, selectFrom }) =>
              not(exists(selectFrom('webhook_outbox as p').select(sql<number>`1`.as('one')).whereRef('p.endpoint_id', '=', 'o.endpoint_id').whereRef('p.ordering_key', '=', 'o.ordering_key').whereRef('p.position', '<', 'o.position'))),
            )
            .orderBy('o.position')
            .limit(limit);
          if (engine.supportsRowLocks) pick = pick.forUpdate().skipLocked();
          const positions = (await pick.execute()).map((r) => r.position);
          if (positions.length === 0) return [];
          await trx.updateTable('webhook_outbox').set({ lease_until: leaseUntil, lease_owner: owner }).where('position', 'in', positions).execute();
          const rows = await trx
            .selectFrom('webhook_outbox as o')
            .innerJoin('webhook_endpoints as e', 'e.id', 'o.endpoint_id')
            .select(['o.position', 'o.event_id', 'o.app_id', 'o.endpoint_id', 'o.ordering_key', 'o.type', 'o.payload', 'o.created_at', 'o.attempts', 'e.url', 'e.secret'])
            .where('o.position', 'in', positions)
            .orderBy('o.position')
            .execute();
          return rows.map(
            (r): LeasedDelivery => ({ position: r.position, eventId: r.event_id, appId: r.app_id, endpointId: r.endpoint_id, orderingKey: r.ordering_key, type: r.type, payload: r.payload, createdAt: r.created_at, attempts: r.attempts, leaseOwner: owner, url: r.url, secret: r.secret }),
          );
        });
      },
      async delivered(d, at) {
        await db.deleteFrom('webhook_outbox').where('position', '=', d.position).execute();
        await db.updateTable('webhook_endpoints').set({ consecutive_failures: 0, last_success_at: at }).where('id', '=', d.endpointId).execute();
      },
      async failed(d, at, nextAt, error) {
        await db
          .updateTable('webhook_outbox')
          .set((eb) => ({ attempts: eb('attempts', '+', 1), next_at: nextAt, lease_until: 0, lease_owner: null, last_error: error.slice(0, ERROR_CHARS) }))
          .where('position', '=', d.position)
          // A worker whose lease lapsed (stuck past it) leaves the row to whoever leased it since.
          .where('lease_owner', '=', d.leaseOwner)
          .execute();
        await failure(d.endpointId, at, error);
      },
      async dropped(d, at, error) {
        await db.deleteFrom('webhook_outbox').where('position', '=', d.position).execute();
        await failure(d.endpointId, at, error);
      },
      async count(appId) {
        let q = db.selectFrom('webhook_outbox').select((eb) => eb.fn.countAll<number>().as('n'));
        if (appId !== undefined) q = q.where('app_id', '=', appId);
        return Number((await q.executeTakeFirstOrThrow()).n);
      },
    },
  };
}
