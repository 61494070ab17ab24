// The node-id leases (src/core/node-lease.ts) over either engine: each
// operation is one statement (INSERT … ON CONFLICT DO UPDATE … WHERE, which
// SQLite and PostgreSQL both have), so a race for one node id has one winner.

import type { Kysely } from 'kysely';
import type { HeldLease, LeaseHolder, NodeLeaseStore } from '../core/node-lease.ts';
import type { Database } from './schema.ts';

export function nodeLeaseStore(db: Kysely<Database>): NodeLeaseStore {
  return {
    async acquire(nodeId: number, who: LeaseHolder, expiresAt: number, now: number, replacing?: string) {
      const row = { node_id: nodeId, holder: who.holder, role: who.role, host: who.host, pid: who.pid, expires_at: expiresAt, floor_id: 0 };
      const won = await db
        .insertInto('node_leases')
        .values(row)
        .onConflict((oc) =>
          oc
            .column('node_id')
            .doUpdateSet({ holder: who.holder, role: who.role, host: who.host, pid: who.pid, expires_at: expiresAt })
            .where((eb) => (replacing === undefined ? eb('node_leases.expires_at', '<', now) : eb.or([eb('node_leases.expires_at', '<', now), eb('node_leases.holder', '=', replacing)]))),
        )
        .returning('floor_id')
        .executeTakeFirst();
      if (won) return { ok: true as const, floorId: Number(won.floor_id) };
      const h = await db.selectFrom('node_leases').selectAll().where('node_id', '=', nodeId).executeTakeFirstOrThrow();
      const held: HeldLease = { nodeId, holder: h.holder, role: h.role === 'server' ? 'server' : 'command', host: h.host, pid: Number(h.pid), expiresAt: Number(h.expires_at) };
      return { ok: false as const, held };
    },
    async renew(nodeId, holder, expiresAt, floorId) {
      const r = await db
        .updateTable('node_leases')
        .set((eb) => ({ expires_at: expiresAt, floor_id: floorId > 0 ? floorId : eb.ref('floor_id') }))
        .where('node_id', '=', nodeId)
        .where('holder', '=', holder)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async release(nodeId, holder, floorId) {
      // Kept, lapsed, with its floor: the next holder starts above it.
      await db
        .updateTable('node_leases')
        .set((eb) => ({ expires_at: 0, floor_id: floorId > 0 ? floorId : eb.ref('floor_id') }))
        .where('node_id', '=', nodeId)
        .where('holder', '=', holder)
        .execute();
    },
  };
}
