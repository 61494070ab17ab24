import type { Kysely, Selectable } from 'kysely';
import type { CallRepo } from '../../core/calls/ports.ts';
import type { Call, CallParty, CallStatus, Media, PartyState, StopReason } from '../../core/calls/model.ts';
import type { Engine } from '../engine.ts';
import type { Database } from '../schema.ts';
import type { CallPartiesTable, CallsTable } from '../tables/calls.ts';

const toParty = (r: Selectable<CallPartiesTable>): CallParty => ({ userId: r.user_id, role: r.role as CallParty['role'], state: r.state as PartyState, updatedAt: r.updated_at });

const toCall = (r: Selectable<CallsTable>, parties: CallParty[]): Call => ({
  id: r.id,
  appId: r.app_id,
  callerId: r.caller_id,
  groupId: r.group_id,
  media: r.media as Media,
  status: r.status as CallStatus,
  stopReason: r.stop_reason as StopReason | null,
  roomId: r.room_id,
  createdAt: r.created_at,
  deadline: r.deadline,
  answeredAt: r.answered_at,
  endedAt: r.ended_at,
  version: r.version,
  parties,
});

export function callRepo(db: Kysely<Database>, engine: Pick<Engine, 'supportsRowLocks'>): CallRepo {
  async function read(id: number, forUpdate: boolean): Promise<Call | undefined> {
    let q = db.selectFrom('calls').selectAll().where('id', '=', id);
    if (forUpdate) q = q.forUpdate();
    const r = await q.executeTakeFirst();
    if (!r) return undefined;
    const parties = await db.selectFrom('call_parties').selectAll().where('call_id', '=', id).execute();
    // Caller first, then invitees in the order they were invited (user id order is stable enough for display).
    parties.sort((a, b) => (a.role === b.role ? 0 : a.role === 'caller' ? -1 : 1));
    return toCall(r, parties.map(toParty));
  }

  return {
    async insert(c) {
      await db
        .insertInto('calls')
        .values({
          id: c.id,
          app_id: c.appId,
          caller_id: c.callerId,
          group_id: c.groupId,
          media: c.media,
          status: c.status,
          stop_reason: c.stopReason,
          room_id: c.roomId,
          created_at: c.createdAt,
          deadline: c.deadline,
          answered_at: c.answeredAt,
          ended_at: c.endedAt,
          version: c.version,
        })
        .execute();
      await db
        .insertInto('call_parties')
        .values(c.parties.map((p) => ({ call_id: c.id, user_id: p.userId, role: p.role, state: p.state, updated_at: p.updatedAt })))
        .execute();
    },
    get: (id) => read(id, false),
    lock: (id) => read(id, engine.supportsRowLocks),
    async save(c) {
      const r = await db
        .updateTable('calls')
        .set({ status: c.status, stop_reason: c.stopReason, answered_at: c.answeredAt, ended_at: c.endedAt, version: c.version })
        .where('id', '=', c.id)
        .where('version', '=', c.version - 1)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return false;
      for (const p of c.parties) {
        await db.updateTable('call_parties').set({ state: p.state, updated_at: p.updatedAt }).where('call_id', '=', c.id).where('user_id', '=', p.userId).execute();
      }
      return true;
    },
    async listRingingBefore(now, limit) {
      const rows = await db
        .selectFrom('calls')
        .select('id')
        .where('status', '!=', 'finished')
        .where('deadline', '<=', now)
        .where((eb) => eb.exists(eb.selectFrom('call_parties').select('call_id').whereRef('call_parties.call_id', '=', 'calls.id').where('call_parties.state', '=', 'ringing')))
        .orderBy('deadline')
        .limit(limit)
        .execute();
      return rows.map((r) => r.id);
    },
  };
}
