// No failure is silent, and a lost cache invalidation fails closed. Two
// Parley nodes share a database and a broker; node B reaches the broker
// through a relay the test can cut. While B is cut off, a kick made through B
// cannot be announced: the failed publish is logged and counted on B, and
// node A, which had cached "this member may send", keeps answering from its
// cache (its entries last ten minutes here). Once B is back it owes the
// others an "everything changed" notice, and A drops its cache: the kicked
// member is refused on A well before the cache would have expired.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { describe, test } from 'node:test';
import pino from 'pino';
import { createTestDatabase } from '../support/database.ts';
import { makeUser } from '../support/fixtures.ts';
import { client } from '../support/http.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { startTcpProxy } from '../support/tcp-proxy.ts';

const brokers = [
  { name: 'Redis', url: process.env.PARLEY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379' },
  { name: 'NATS', url: process.env.PARLEY_TEST_NATS_URL ?? 'nats://127.0.0.1:4222' },
];

const failures = async (s: TestServer, task: string): Promise<number> => {
  const text = (await client(s.url).get('/metrics')).text;
  const m = new RegExp(`^parley_background_failures_total\\{task="${task}"\\} (\\d+)$`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
};

async function waitFor(what: string, check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not in ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

for (const broker of brokers) {
  describe(`over ${broker.name}`, () => {
    test('a publish that fails is logged and counted, and the other nodes drop their caches once the publisher is back', async () => {
      const target = new URL(broker.url);
      const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || (broker.name === 'Redis' ? 6379 : 4222)) });
      const viaProxy = `${target.protocol}//${target.username ? `${target.username}:${target.password}@` : ''}127.0.0.1:${proxy.port}`;
      const lines: Record<string, unknown>[] = [];
      const sink = new Writable({
        write(chunk: Buffer, _enc, done) {
          for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
          done();
        },
      });
      const db = await createTestDatabase();
      const busPrefix = `t${randomBytes(5).toString('hex')}`;
      const longCache = { groupRuleCacheMs: 600_000 };
      const a = await startTestServer({ db, config: { bus: broker.url, busPrefix, nodeId: 11, ...longCache } });
      const b = await startTestServer({ db, config: { bus: viaProxy, busPrefix, nodeId: 12, ...longCache }, logger: pino({ level: 'warn' }, sink) });
      try {
        const owner = await makeUser(a);
        const member = await makeUser(a);
        const created = await client(a.url, owner.token).post('/v1/groups', { name: 'fail closed', memberIds: [member.id] });
        assert.equal(created.status, 201, created.text);
        const groupId = created.body.group.id as number;
        const sendOnA = (text: string) => client(a.url, member.token).post(`/v1/groups/${groupId}/messages`, { type: 'text', body: { text } });
        // A answers (and caches) "may send" for the member.
        assert.equal((await sendOnA('allowed')).status, 201);

        await proxy.cut();
        // B has noticed: its connection failure is reported.
        await waitFor('B reports its lost broker connection', async () => (await failures(b, 'bus_connection')) > 0);
        const kicked = await client(b.url, owner.token).delete(`/v1/groups/${groupId}/members/${member.id}`);
        assert.equal(kicked.status, 200, kicked.text);
        await waitFor('B counts the failed publish', async () => (await failures(b, 'bus_publish')) > 0);
        const logged = lines.find((l) => l.task === 'bus_publish');
        assert.ok(logged, 'an error line names the failed publish');
        assert.equal(logged.level, 50, 'logged as an error');
        assert.equal(typeof logged.topic, 'string');
        assert.ok(String(logged.topic).startsWith(busPrefix), `the line names the topic (${String(logged.topic)})`);
        // A heard nothing, so it still trusts its cache: the hole this test is about.
        assert.equal((await sendOnA('A has not heard')).status, 201);

        await proxy.restore();
        // B reconnects and announces that everything may have changed: A drops its cache and reads the kick.
        let refused = await sendOnA('after the kick?');
        await waitFor('A refuses the kicked member', async () => {
          if (refused.status === 201) refused = await sendOnA('after the kick?');
          return refused.status !== 201;
        });
        assert.equal(refused.status, 403, refused.text);
        assert.equal(refused.body.error.code, 'not_group_member');
      } finally {
        await proxy.restore().catch(() => {});
        await b.stop();
        await a.stop();
        await proxy.close();
        await db.drop();
      }
    });
  });
}
