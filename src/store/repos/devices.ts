import type { Kysely, Selectable } from 'kysely';
import type { DeviceRecord } from '../../core/devices.ts';
import type { DeviceRepo } from '../../core/ports.ts';
import type { Database } from '../schema.ts';
import type { DevicesTable } from '../tables/devices.ts';

const toDevice = (r: Selectable<DevicesTable>): DeviceRecord => ({
  appId: Number(r.app_id),
  userId: Number(r.user_id),
  uuid: r.uuid,
  kind: r.kind,
  name: r.name,
  signedInAt: Number(r.signed_in_at),
  seenAt: Number(r.seen_at),
});

export function deviceRepo(db: Kysely<Database>): DeviceRepo {
  return {
    async signIn(d) {
      await db
        .insertInto('devices')
        .values({ app_id: d.appId, user_id: d.userId, uuid: d.uuid, kind: d.kind, name: d.name, signed_in_at: d.signedInAt, seen_at: d.seenAt })
        .onConflict((oc) => oc.columns(['user_id', 'uuid']).doUpdateSet({ kind: d.kind, name: d.name, signed_in_at: d.signedInAt, seen_at: d.seenAt }))
        .execute();
    },
    async seen(userId, uuid, at) {
      await db.updateTable('devices').set({ seen_at: at }).where('user_id', '=', userId).where('uuid', '=', uuid).execute();
    },
    async latest(userId, kinds) {
      if (kinds.length === 0) return undefined;
      const r = await db
        .selectFrom('devices')
        .selectAll()
        .where('user_id', '=', userId)
        .where('kind', 'in', kinds)
        .orderBy('signed_in_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      return r && toDevice(r);
    },
    async get(userId, uuid) {
      const r = await db.selectFrom('devices').selectAll().where('user_id', '=', userId).where('uuid', '=', uuid).executeTakeFirst();
      return r && toDevice(r);
    },
    async deliveredPosition(userId, uuid) {
      const r = await db.selectFrom('devices').select('delivered_pos').where('user_id', '=', userId).where('uuid', '=', uuid).executeTakeFirst();
      if (!r) return undefined;
      return r.delivered_pos === null ? null : Number(r.delivered_pos);
    },
    async advanceDelivered(userId, uuid, pos) {
      await db
        .updateTable('devices')
        .set({ delivered_pos: pos })
        .where('user_id', '=', userId)
        .where('uuid', '=', uuid)
        .where((eb) => eb.or([eb('delivered_pos', 'is', null), eb('delivered_pos', '<', pos)]))
        .execute();
    },
  };
}
