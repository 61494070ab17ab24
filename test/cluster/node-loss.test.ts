// Losing a node under load: 3 processes behind nginx, receivers and senders
// on WebSocket and HTTP through nginx; one process is killed with SIGKILL.
// Its clients reconnect through nginx to the others and resume; nothing
// acknowledged is lost, duplicated or reordered for any receiver; sends that
// were in flight are retried with their clientId and stored once. Prints the
// time until every client is live again (bench/cluster/README.md).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { deliveryReport, groupHistory, sleep } from '../support/chat-load.ts';
import { brokers, CLUSTER_TIMEOUT, skipUnlessCluster, startCluster, type TestCluster } from '../support/cluster.ts';
import { LOAD, startGroupLoad } from '../support/cluster-load.ts';
import { waitUntil } from '../support/ports.ts';

describe('kill -9 of one of 3 processes behind nginx, under load (Redis)', { skip: skipUnlessCluster(), timeout: CLUSTER_TIMEOUT }, () => {
  let cluster: TestCluster;
  before(async () => {
    cluster = await startCluster({ bus: brokers.redis });
  }, { timeout: CLUSTER_TIMEOUT });
  after(async () => {
    await cluster?.stop();
  }, { timeout: CLUSTER_TIMEOUT });

  test('its clients are live again on the others; nothing acknowledged is lost, duplicated or reordered', { timeout: CLUSTER_TIMEOUT }, async (t) => {
    const { load, groupId, ownerToken } = await startGroupLoad(cluster);
    try {
      await sleep(1500);
      const victim = cluster.nodes[1]!;
      const onVictim = load.sockets.filter((s) => s.node === String(victim.nodeId));
      assert.ok(onVictim.length > 0, `nginx placed sockets on node ${victim.nodeId}: ${load.sockets.map((s) => s.node)}`);
      const ackedBefore = load.acked.size;
      const killedAt = Date.now();
      await victim.stop('SIGKILL');
      await waitUntil(
        () => onVictim.every((s) => s.live && s.outages.some((o) => o.closedAt >= killedAt && o.readyAt !== undefined)) && load.httpSenders.every((h) => h.lastSuccessAt > killedAt),
        30_000,
        'every client of the killed node to be live again',
      );
      const socketsLive = Math.max(...onVictim.map((s) => s.outages.find((o) => o.closedAt >= killedAt)!.readyAt! - killedAt));
      const httpLive = Math.max(...load.httpSenders.map((h) => (h.stalls.find((x) => x.to >= killedAt)?.to ?? killedAt) - killedAt));
      assert.ok(onVictim.every((s) => s.node !== String(victim.nodeId)), 'moved to another process');
      // Load goes on with two processes.
      await sleep(1500);
      await load.stopSending();
      const history = await groupHistory(cluster.url, ownerToken, groupId);
      await load.delivered(history.at(-1)!.seq, 20_000);
      const report = deliveryReport(load, history);
      t.diagnostic(
        `kill -9 of node ${victim.nodeId} (${onVictim.length} of ${load.sockets.length} sockets on it; ${LOAD.httpSenders} HTTP senders): ` +
          `all its sockets live again ${socketsLive} ms after the kill, every HTTP sender succeeding again after ${httpLive} ms; ` +
          `${report.acknowledged} sends acknowledged (${ackedBefore} before the kill), ${load.wsResends} WebSocket resends, ` +
          `${[...load.httpRetries.values()].reduce((a, b) => a + b, 0)} HTTP retries; ${report.messages} messages stored; lost ${report.lost}, duplicated ${report.duplicated}`,
      );
      assert.deepEqual(load.violations, []);
      assert.equal(report.lost, 0);
      assert.equal(report.duplicated, 0);
      assert.deepEqual(report.mismatched, []);
      assert.ok(report.acknowledged > ackedBefore, 'sends went on after the kill');
    } finally {
      load.close();
    }
  });
});
