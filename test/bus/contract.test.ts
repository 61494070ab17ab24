// One contract suite, run against every bus variant. Redis and NATS are the
// machine's (127.0.0.1:6379 and :4222; CI's .ci/run starts them). Differences
// are declared, with the reason, by the variant's `scope`.

import { randomBytes } from 'node:crypto';
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { BackgroundFailure } from '../../src/core/background.ts';
import { openBus as openVariant } from '../../src/bus/open.ts';

const variants = [
  { name: 'local', url: 'local' },
  { name: 'redis', url: process.env.PARLEY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379' },
  { name: 'nats', url: process.env.PARLEY_TEST_NATS_URL ?? 'nats://127.0.0.1:4222' },
];

/** What the buses opened by the running test reported; a healthy broker reports nothing. */
let reported: BackgroundFailure[] = [];
const openBus = (url: string) => openVariant(url, (f) => reported.push(f));

const topic = (name: string) => `t${randomBytes(5).toString('hex')}.${name}`;

/** Collects payloads of one topic; `next(n)` resolves when n have arrived. */
function collector() {
  const got: string[] = [];
  let waiter: { n: number; resolve: () => void } | undefined;
  return {
    got,
    handler: (p: string) => {
      got.push(p);
      if (waiter && got.length >= waiter.n) waiter.resolve();
    },
    until(n: number, ms = 5000): Promise<void> {
      if (got.length >= n) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`got ${got.length} of ${n}`)), ms);
        waiter = { n, resolve: () => (clearTimeout(t), resolve()) };
      });
    },
  };
}

for (const v of variants) {
  describe(`bus contract: ${v.name}`, () => {
    beforeEach(() => {
      reported = [];
    });
    afterEach(() => {
      assert.deepEqual(reported.map((f) => `${f.task} ${JSON.stringify(f.subject)}`), [], 'nothing failed');
    });

    test('delivers every payload to a subscriber, in publish order, byte for byte', async () => {
      const bus = await openBus(v.url);
      try {
        const t = topic('order');
        const c = collector();
        await bus.subscribe(t, c.handler);
        const sent = Array.from({ length: 200 }, (_, i) => JSON.stringify({ i, text: `héllo ✓ ${i}\nline` }));
        for (const p of sent) bus.publish(t, p);
        await c.until(sent.length);
        assert.deepEqual(c.got, sent);
      } finally {
        await bus.close();
      }
    });

    test('topics are isolated, also when one name is a prefix of another', async () => {
      const bus = await openBus(v.url);
      try {
        const t = topic('g.1');
        const a = collector();
        const b = collector();
        await bus.subscribe(t, a.handler);
        await bus.subscribe(`${t}0`, b.handler);
        bus.publish(`${t}0`, 'for b');
        bus.publish(`${t}.x`, 'for nobody');
        bus.publish(t, 'for a');
        await a.until(1);
        await b.until(1);
        assert.deepEqual(a.got, ['for a']);
        assert.deepEqual(b.got, ['for b']);
      } finally {
        await bus.close();
      }
    });

    test('one handler serves several topics: each payload comes with its topic', async () => {
      const bus = await openBus(v.url);
      try {
        const [t1, t2] = [topic('one'), topic('two')];
        const heard: string[] = [];
        let done: () => void = () => {};
        const all = new Promise<void>((resolve) => (done = resolve));
        const handler = (payload: string, from: string) => {
          heard.push(`${from}:${payload}`);
          if (heard.length === 3) done();
        };
        await bus.subscribe(t1, handler);
        await bus.subscribe(t2, handler);
        bus.publish(t1, 'a');
        bus.publish(t2, 'b');
        bus.publish(t1, 'c');
        await all;
        assert.deepEqual(heard.sort(), [`${t1}:a`, `${t1}:c`, `${t2}:b`].sort());
      } finally {
        await bus.close();
      }
    });

    test('several handlers share a topic; ending one leaves the others; ending the last stops delivery', async () => {
      const bus = await openBus(v.url);
      try {
        const t = topic('shared');
        const marker = topic('marker');
        const a = collector();
        const b = collector();
        const m = collector();
        const endA = await bus.subscribe(t, a.handler);
        const endB = await bus.subscribe(t, b.handler);
        await bus.subscribe(marker, m.handler);
        bus.publish(t, '1');
        await a.until(1);
        await b.until(1);
        endA();
        endA(); // ending twice is harmless
        bus.publish(t, '2');
        await b.until(2);
        endB();
        bus.publish(t, '3');
        bus.publish(marker, 'after'); // same publisher, later: once it arrives, '3' would have
        await m.until(1);
        assert.deepEqual(a.got, ['1']);
        assert.deepEqual(b.got, ['1', '2']);
      } finally {
        await bus.close();
      }
    });

    test('a subscription is active when subscribe resolves: another process publishing right after is heard', async (t) => {
      const first = await openBus(v.url);
      if (first.scope === 'process') {
        await first.close();
        t.skip('the local bus reaches only its own process, by design (scope "process")');
        return;
      }
      const second = await openBus(v.url);
      try {
        for (let round = 0; round < 20; round++) {
          const name = topic(`ready${round}`);
          const c = collector();
          await second.subscribe(name, c.handler);
          first.publish(name, `r${round}`);
          await c.until(1, 3000);
          assert.deepEqual(c.got, [`r${round}`]);
        }
      } finally {
        await Promise.all([first.close(), second.close()]);
      }
    });

    test('a handler that throws is reported with its topic, and the topic\'s other handlers still hear the payload', async () => {
      const bus = await openBus(v.url);
      try {
        const t = topic('throws');
        const c = collector();
        await bus.subscribe(t, () => {
          throw new Error('handler broke');
        });
        await bus.subscribe(t, c.handler);
        bus.publish(t, 'one');
        await c.until(1);
        assert.deepEqual(c.got, ['one']);
        assert.deepEqual(reported.map((f) => [f.task, f.subject, (f.error as Error).message]), [['bus_handler', { topic: t }, 'handler broke']]);
        reported = [];
      } finally {
        await bus.close();
      }
    });

    test('publishConfirmed says the broker took the payload', async () => {
      const bus = await openBus(v.url);
      try {
        const t = topic('confirmed');
        const c = collector();
        await bus.subscribe(t, c.handler);
        assert.equal(await bus.publishConfirmed(t, 'sure'), true);
        await c.until(1);
        assert.deepEqual(c.got, ['sure']);
      } finally {
        await bus.close();
      }
    });

    test('publishing after close neither throws nor delivers', async () => {
      const bus = await openBus(v.url);
      const c = collector();
      await bus.subscribe(topic('closed'), c.handler);
      await bus.close();
      assert.doesNotThrow(() => bus.publish(topic('closed'), 'x'));
      assert.deepEqual(c.got, []);
    });
  });
}

test('an unknown bus setting is refused with its name', async () => {
  await assert.rejects(openBus('kafka://x'), /PARLEY_BUS/);
});

test('an unreachable broker fails the start with a clear message', async () => {
  reported = [];
  await assert.rejects(openBus('redis://127.0.0.1:1'), /cannot reach Redis/);
  await assert.rejects(openBus('nats://127.0.0.1:1'), /cannot reach NATS/);
});
