// Large groups (issue 17): adding a batch, paging the member list, looking up
// one member, kicking, muting, leaving, sending and reading receipts must cost
// the same in a group of thousands as in a group of a hundred. Measured in
// what the database is asked, not in time: the number of statements and the
// number of rows they return, per operation, at 100 and at 2,500 members; on
// SQLite also each statement's query plan (no full scan of the member,
// read-position or message tables). A rule that reads or rewrites the whole
// member list (a count by loading rows, a notice listing everyone, a scan)
// shows up as more statements or rows, or a full scan, at 2,500.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createQueryId, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult, type RootOperationNode, type UnknownRow } from 'kysely';
import type { Engine } from '../../../src/store/engine.ts';
import { startTestCore, type TestCore } from '../../support/core.ts';

/** Counts the statements an engine runs and the rows they return; keeps them for their plans. */
class Meter implements KyselyPlugin {
  queries = 0;
  rows = 0;
  statements: RootOperationNode[] = [];
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.queries++;
    this.statements.push(args.node);
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    this.rows += args.result.rows.length;
    return args.result;
  }
  reset(): void {
    this.queries = 0;
    this.rows = 0;
    this.statements = [];
  }
}

const BIG_TABLES = ['group_members', 'read_positions', 'messages', 'groups'];

describe('large groups cost the same at 2,500 members as at 100', () => {
  const meter = new Meter();
  let engine!: Engine;
  let t!: TestCore;
  let spare: number[] = [];

  before(async () => {
    t = await startTestCore({
      engine: (e) => {
        engine = e;
        return { ...e, db: e.db.withPlugin(meter) };
      },
    });
    spare = await t.users(200);
  });
  after(() => t.close());

  /** A group of `size` members (owner included), read receipts on, one message from the owner. */
  async function groupOf(size: number, noticeMemberThreshold: number) {
    const ids = await t.users(size - 1);
    const [ownerId] = await t.users(1);
    const { group } = await t.core.groups.lifecycle.create(t.as(ownerId), { name: `g${size}`, settings: { capacity: 100_000, readReceipts: true, noticeMemberThreshold } });
    for (let i = 0; i < ids.length; i += 500) await t.core.groups.members.add(t.as(ownerId), group.id, ids.slice(i, i + 500));
    const sent = await t.core.messages.send(t.appId, ownerId, { groupId: group.id }, { type: 'text', body: { text: 'hello' } });
    // Half the members read it: read counts have thousands of positions to count.
    for (const id of ids.slice(0, Math.floor(ids.length / 2))) await t.core.messages.markRead(t.appId, id, { groupId: group.id }, sent.message.seq);
    return { groupId: group.id, ownerId, members: ids, messageId: sent.message.id, seq: sent.message.seq };
  }

  /** The operations under test, each on its own fresh members so the two sizes do the same work. */
  async function costs(size: number, noticeMemberThreshold: number) {
    const g = await groupOf(size, noticeMemberThreshold);
    const owner = t.as(g.ownerId);
    const newcomers = spare.splice(0, 50);
    const [kicked, muted, leaver, reader, looked] = g.members.slice(-5);
    const ops: Record<string, () => Promise<unknown>> = {
      'add 50 members': () => t.core.groups.members.add(owner, g.groupId, newcomers),
      'list the first page': () => t.core.groups.members.list(owner, g.groupId, { limit: 50 }),
      'list a later page': async () => {
        const first = await t.core.groups.members.list(owner, g.groupId, { limit: 50 });
        return t.core.groups.members.list(owner, g.groupId, { limit: 50, cursor: first.next as string });
      },
      'look up one member': () => t.core.groups.members.get(owner, g.groupId, looked),
      'kick one': () => t.core.groups.members.kick(owner, g.groupId, [kicked]),
      'mute one': () => t.core.groups.moderation.mute(owner, g.groupId, [muted], { forMs: 60_000 }),
      'list the muted': () => t.core.groups.moderation.listMuted(owner, g.groupId, { limit: 50 }),
      'leave': () => t.core.groups.members.leave(t.as(leaver), g.groupId),
      'send': () => t.core.messages.send(t.appId, reader, { groupId: g.groupId }, { type: 'text', body: { text: 'hi' } }),
      'mark read': () => t.core.messages.markRead(t.appId, reader, { groupId: g.groupId }, g.seq),
      'how many read it': () => t.core.messages.messageReads(t.appId, reader, g.messageId),
      'who read it (a page)': () => t.core.messages.messageReaders(t.appId, reader, g.messageId, { limit: 50 }),
      'a history page with read counts': () => t.core.messages.history(t.appId, reader, { groupId: g.groupId }, { limit: 3 }),
    };
    const out: Record<string, { queries: number; rows: number; statements: RootOperationNode[] }> = {};
    for (const [name, op] of Object.entries(ops)) {
      meter.reset();
      await op();
      out[name] = { queries: meter.queries, rows: meter.rows, statements: meter.statements };
    }
    return out;
  }

  // Joins and leaves are announced below the notice threshold and quiet above it (large-group.ts): each mode at both sizes.
  for (const [mode, threshold] of [['quiet joins and leaves', 0], ['announced joins and leaves', 100_000]] as const) {
    test(`${mode}: every operation runs the same statements and reads no more rows`, async () => {
      const small = await costs(100, threshold);
      const large = await costs(2500, threshold);
      for (const name of Object.keys(small)) {
        const s = small[name];
        const l = large[name];
        assert.equal(l.queries, s.queries, `${name}: ${l.queries} statements at 2,500 members, ${s.queries} at 100`);
        assert.ok(l.rows <= s.rows, `${name}: ${l.rows} rows returned at 2,500 members, ${s.rows} at 100`);
      }
      await noFullScans(large);
    });
  }

  async function noFullScans(large: Awaited<ReturnType<typeof costs>>) {
    if (engine.name !== 'sqlite') return;
    // No statement walks a whole table: SQLite's plan says SCAN <table> for that (SEARCH is an index range).
    for (const [name, { statements }] of Object.entries(large)) {
      for (const node of statements) {
        const q = engine.db.getExecutor().compileQuery(node, createQueryId());
        if (!/^\s*(select|update|delete|insert)/i.test(q.sql)) continue;
        const steps = (await engine.db.withoutPlugins().executeQuery<{ detail: string }>({ ...q, sql: `EXPLAIN QUERY PLAN ${q.sql}`, query: q.query, queryId: createQueryId() })).rows.map((r) => r.detail);
        for (const step of steps) {
          const scanned = BIG_TABLES.find((tbl) => new RegExp(`^SCAN ${tbl}\\b`).test(step) && !/USING (COVERING )?INDEX/.test(step));
          assert.equal(scanned, undefined, `${name}: a full scan (${step}) in ${q.sql}`);
          // An index range over a whole group (only the group or conversation fixed) with no LIMIT walks every member.
          const wholeGroup = /^SEARCH (group_members|read_positions) .*\((group_id|conversation_id)=\?\)$/.test(step) && !/\blimit\b/i.test(q.sql);
          assert.equal(wholeGroup, false, `${name}: walks the whole group (${step}) in ${q.sql}`);
        }
      }
    }
  }
});
