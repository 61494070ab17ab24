// A rolling restart under load, as an upgrade is done (docs/deployment.md):
// each of 3 processes behind nginx in turn gets SIGTERM, drains and is
// started again. Its WebSocket clients are told to move (1001) and are live
// on another process at their first attempt; nothing is lost or duplicated.
// Prints the figures (bench/cluster/README.md).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { deliveryReport, groupHistory, sleep } from '../support/chat-load.ts';
import { brokers, CLUSTER_TIMEOUT, skipUnlessCluster, startCluster, type TestCluster } from '../support/cluster.ts';
import { startGroupLoad } from '../support/cluster-load.ts';
import { waitUntil } from '../support/ports.ts';

describe('rolling restart of 3 processes behind nginx, under load (NATS)', { skip: skipUnlessCluster(), timeout: CLUSTER_TIMEOUT }, () => {
  let cluster: TestCluster;
  before(async () => {
    cluster = await startCluster({ bus: brokers.nats });
  }, { timeout: CLUSTER_TIMEOUT });
  after(async () => {
    await cluster?.stop();
  }, { timeout: CLUSTER_TIMEOUT });

  test('SIGTERM and start again, one process at a time: clients move at once (1001), zero lost, zero duplicated', { timeout: CLUSTER_TIMEOUT }, async (t) => {
    const { load, groupId, ownerToken } = await startGroupLoad(cluster);
    try {
      await sleep(1000);
      for (const node of cluster.nodes) {
        const id = String(node.nodeId);
        const here = load.sockets.filter((s) => s.node === id);
        const connectsBefore = new Map(here.map((s) => [s, s.connects]));
        const stoppedAt = Date.now();
        const code = await node.stop('SIGTERM');
        const drainedMs = Date.now() - stoppedAt;
        assert.equal(code, 0, `node ${id} drained and exited cleanly`);
        await waitUntil(() => here.every((s) => s.live && s.outages.some((o) => o.closedAt >= stoppedAt && o.readyAt !== undefined)), 20_000, `the clients of node ${id} to be live elsewhere`);
        const moves = here.map((s) => s.outages.find((o) => o.closedAt >= stoppedAt)!);
        assert.deepEqual(moves.map((o) => o.code), here.map(() => 1001), 'told to move with 1001');
        // One connection each: nginx never handed a mover back to the draining process.
        assert.deepEqual(here.map((s) => s.connects - connectsBefore.get(s)!), here.map(() => 1), 'each mover connected once');
        const reconnectMs = Math.max(0, ...moves.map((o) => o.readyAt! - o.closedAt));
        const restartAt = Date.now();
        await node.start();
        t.diagnostic(
          `node ${id}: ${here.length} sockets told 1001, all live on other processes within ${reconnectMs} ms of their close; drained and exited in ${drainedMs} ms; started again in ${Date.now() - restartAt} ms`,
        );
        await sleep(1000);
      }
      await load.stopSending();
      const history = await groupHistory(cluster.url, ownerToken, groupId);
      await load.delivered(history.at(-1)!.seq, 20_000);
      const report = deliveryReport(load, history);
      const moved = load.sockets.reduce((n, s) => n + s.outages.length, 0);
      t.diagnostic(
        `rolling restart of 3 processes: ${moved} socket moves, ${report.acknowledged} sends acknowledged, ${load.wsResends} WebSocket resends, ` +
          `${[...load.httpRetries.values()].reduce((a, b) => a + b, 0)} HTTP retries; ${report.messages} messages stored; lost ${report.lost}, duplicated ${report.duplicated}`,
      );
      assert.deepEqual(load.violations, []);
      assert.equal(report.lost, 0);
      assert.equal(report.duplicated, 0);
      assert.deepEqual(report.mismatched, []);
    } finally {
      load.close();
    }
  });
});
