// Node-id leases (src/core/node-lease.ts) over the real store, on the engine
// under test: one holder per node id, a live holder refuses a second server,
// a lapsed or dead one is replaced, commands get ids of their own range, and
// the next holder starts above the last one's ids.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { systemClock } from '../../src/core/clock.ts';
import { COMMAND_NODE_IDS, SnowflakeIds, idNode } from '../../src/core/ids.ts';
import { leaseCommandNodeId, leaseServerNodeId, NodeIdInUse, type LeaseDeps, type LeaseHolder } from '../../src/core/node-lease.ts';
import type { Engine } from '../../src/store/engine.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { nodeLeaseStore } from '../../src/store/node-leases.ts';
import { openEngine } from '../../src/store/open.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

describe('node id leases', () => {
  let db: TestDatabase;
  let engine: Engine;
  let n = 0;
  const problems: unknown[] = [];
  before(async () => {
    db = await createTestDatabase();
    engine = openEngine({ databaseUrl: db.url, dataDir: db.dataDir, poolSize: 4 });
    await migrateToLatest(engine);
  });
  after(async () => {
    await engine.close();
    await db.drop();
  });

  const deps = (self: Partial<LeaseHolder> = {}, ttlMs = 400, alive = true): LeaseDeps => ({
    store: nodeLeaseStore(engine.db),
    clock: systemClock,
    self: { holder: `h${++n}`, role: 'server', host: 'host-a', pid: 1000 + n, ...self },
    ttlMs,
    isAlive: () => alive,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    onRenewalProblem: (p) => problems.push(p),
  });

  test('a second server with the same node id is refused while the first renews, naming it', async () => {
    const first = await leaseServerNodeId(3, deps({ host: 'host-a', pid: 41 }));
    await assert.rejects(leaseServerNodeId(3, deps({ host: 'host-b', pid: 42 })), (e: unknown) => {
      assert.ok(e instanceof NodeIdInUse);
      assert.equal(e.message, 'node id 3 is in use by a server (pid 41 on host-a), which keeps renewing its lease: give every server its own PARLEY_NODE_ID (0..23)');
      return true;
    });
    await first.release(0);
    const again = await leaseServerNodeId(3, deps({ host: 'host-b' }));
    assert.equal(again.nodeId, 3);
    await again.release(0);
    assert.deepEqual(problems, []);
  });

  test("a crashed server's lease: taken at once when its pid is gone on this host, after it lapses elsewhere", async () => {
    const store = nodeLeaseStore(engine.db);
    const now = Date.now();
    // Held for a long time by a process that no longer runs (never renewed, never released).
    assert.ok((await store.acquire(4, { holder: 'dead', role: 'server', host: 'host-a', pid: 7 }, now + 600_000, now)).ok);
    const started = Date.now();
    const taken = await leaseServerNodeId(4, deps({ host: 'host-a' }, 400, false));
    assert.ok(Date.now() - started < 300, 'waited for a dead local process');
    await taken.release(0);

    assert.ok((await store.acquire(5, { holder: 'gone', role: 'server', host: 'host-z', pid: 7 }, Date.now() + 600, Date.now())).ok);
    const later = await leaseServerNodeId(5, deps({ host: 'host-a' }));
    assert.equal(later.nodeId, 5);
    await later.release(0);
  });

  test('admin commands lease distinct ids of their own range; when all are busy they say so', async () => {
    const held = [];
    for (let i = COMMAND_NODE_IDS.first; i <= COMMAND_NODE_IDS.last; i++) held.push(await leaseCommandNodeId(deps({ role: 'command' })));
    assert.deepEqual(
      held.map((l) => l.nodeId),
      Array.from({ length: COMMAND_NODE_IDS.last - COMMAND_NODE_IDS.first + 1 }, (_, i) => COMMAND_NODE_IDS.first + i),
    );
    await assert.rejects(leaseCommandNodeId(deps({ role: 'command' })), /^Error: every node id for admin commands \(24\.\.31\) is held by a running command \(an admin command \(pid \d+ on host-a\)/);
    await Promise.all(held.map((l) => l.release(0)));
    assert.equal((await leaseCommandNodeId(deps({ role: 'command' }))).nodeId, COMMAND_NODE_IDS.first);
  });

  test('the next holder of a node id starts above the ids of the last one, even with a clock behind', async () => {
    const one = await leaseServerNodeId(6, deps());
    const fast = new SnowflakeIds({ now: () => Date.now() + 60_000 }, 6, one.floorId);
    const made = [fast.next(), fast.next()];
    await one.release(fast.highWater());
    const two = await leaseServerNodeId(6, deps());
    assert.ok(two.floorId >= made[1]);
    const behind = new SnowflakeIds(systemClock, 6, two.floorId);
    const next = behind.next();
    assert.ok(next > made[1], `${next} repeats or precedes ${made[1]}`);
    assert.equal(idNode(next), 6);
    await two.release(behind.highWater());
  });
});
