// A publish NATS refuses (here: a payload over the server's max_payload) is
// never silent: it is reported with its topic, the first failure of a run is
// an interruption, the caches relying on the bus are dropped (fail closed),
// and the relay then owes the cluster an "everything changed" notice, which
// another process hears.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { relayCacheChanges } from '../../src/bus/cache-sync.ts';
import { openNatsBus } from '../../src/bus/nats/nats-bus.ts';
import type { BackgroundFailure } from '../../src/core/background.ts';
import type { Interruption } from '../../src/core/bus.ts';
import { EventHub } from '../../src/core/events.ts';

const url = process.env.PARLEY_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

test('a publish NATS refuses is reported, drops the caches, and the other processes are told to drop theirs', async () => {
  const reported: BackgroundFailure[] = [];
  const bus = await openNatsBus(url, (f) => reported.push(f));
  const other = await openNatsBus(url, (f) => reported.push(f));
  const cacheTopic = `t${randomBytes(5).toString('hex')}.caches`;
  const dropped: string[] = [];
  const heardElsewhere: string[] = [];
  let heard: () => void = () => {};
  const heardAll = new Promise<void>((resolve) => (heard = resolve));
  const stopHere = await relayCacheChanges(new EventHub(() => {}), bus, cacheTopic, {
    groupRulesChanged: (g) => dropped.push(`groups ${g ?? 'all'}`),
    tokenRevoked: (t) => dropped.push(`tokens ${t ?? 'all'}`),
  }, { baseMs: 1, capMs: 5 });
  const stopThere = await relayCacheChanges(new EventHub(() => {}), other, cacheTopic, {
    groupRulesChanged: (g) => heardElsewhere.push(`groups ${g ?? 'all'}`),
    tokenRevoked: (t) => {
      heardElsewhere.push(`tokens ${t ?? 'all'}`);
      if (t === undefined) heard();
    },
  });
  try {
    const causes: Interruption[] = [];
    bus.onInterrupted((c) => causes.push(c));
    const topic = `t${randomBytes(5).toString('hex')}`;
    const tooBig = 'x'.repeat(2 * 1024 * 1024);
    assert.equal(await bus.publishConfirmed(topic, tooBig), false);
    bus.publish(topic, tooBig); // a second failure of the same run: reported, no second interruption
    const failures = reported.filter((f) => f.task === 'bus_publish');
    assert.equal(failures.length, 2);
    assert.deepEqual(failures[0]!.subject, { topic, bus: 'nats' });
    assert.match(String((failures[0]!.error as Error).message), /MAX_PAYLOAD/i);
    assert.deepEqual(causes, [{ reason: 'publish_failed', topic }]);
    assert.deepEqual(dropped, ['groups all', 'tokens all'], 'this process fails closed');
    // The owed notice reaches the other process, which drops everything too.
    await heardAll;
    assert.deepEqual(heardElsewhere, ['groups all', 'tokens all']);
  } finally {
    stopHere();
    stopThere();
    await bus.close();
    await other.close();
  }
});
