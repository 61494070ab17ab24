// Work nobody awaits (a finished call's record) must not fail silently: the
// server logs it and counts it on /metrics, while what the caller asked for
// (hang up) still succeeds. A group change's notice, by contrast, is written
// in the change's own transaction: if it fails, so does the change. The
// failures are real: the database itself refuses the insert (a trigger, see
// support/faults.ts).

import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { client } from '../support/http.ts';
import { makeUser } from '../support/fixtures.ts';
import { refuseInserts } from '../support/faults.ts';
import { SocketClient } from './dtalk/socket-client.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { online } from '../support/ws.ts';

describe('background failures are reported', () => {
  let s: TestServer;
  const lines: Record<string, unknown>[] = [];
  before(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    s = await startTestServer({ logger: pino({ level: 'warn' }, sink), config: { wsMaxFrameBytes: 4096 } });
  });
  after(() => s.stop());

  const failures = async (task: string): Promise<number> => {
    const text = (await client(s.url).get('/metrics')).text;
    const m = new RegExp(`^parley_background_failures_total\\{task="${task}"\\} (\\d+)$`, 'm').exec(text);
    return m ? Number(m[1]) : 0;
  };

  test('a call record the database refuses: the hang-up succeeds, the failure is logged and counted', async () => {
    const a = await makeUser(s);
    const b = await makeUser(s);
    assert.equal(await failures('call_record'), 0);
    await refuseInserts(s.db, 'messages', 'type', 'call');
    const started = await client(s.url, a.token).post('/v1/calls', { invitees: [b.id], media: 'audio' });
    assert.equal(started.status, 201, started.text);
    const hung = await client(s.url, a.token).post(`/v1/calls/${started.body.id}/hangup`);
    assert.equal(hung.status, 200, hung.text);
    assert.equal(hung.body.status, 'finished');
    assert.equal(await failures('call_record'), 1);
    const logged = lines.find((l) => l.task === 'call_record');
    assert.ok(logged, 'an error line names the task');
    assert.equal(logged.callId, started.body.id);
    assert.equal(logged.appId, s.appId);
    assert.match(String((logged.err as { message: string }).message), /refused by the test/);
    const history = await client(s.url, b.token).get(`/v1/users/${a.id}/messages`);
    assert.equal(history.body.items.filter((m: { type: string }) => m.type === 'call').length, 0);
  });

  test('a group notice the database refuses takes its change down with it: one transaction, nothing half-applied', async () => {
    const owner = await makeUser(s);
    const created = await client(s.url, owner.token).post('/v1/groups', { name: 'before' });
    assert.equal(created.status, 201, created.text);
    const groupId = created.body.group.id;
    await refuseInserts(s.db, 'messages', 'type', 'notice');
    const renamed = await client(s.url, owner.token).patch(`/v1/groups/${groupId}`, { name: 'after' });
    assert.equal(renamed.status, 500, renamed.text);
    assert.equal(renamed.body.error.code, 'internal');
    const group = await client(s.url, owner.token).get(`/v1/groups/${groupId}`);
    assert.equal(group.status, 200, group.text);
    assert.equal(group.body.name, 'before');
  });

  test('an event subscriber that throws is logged and counted; the change stands and is still delivered', async () => {
    const u = await makeUser(s);
    const off = s.core.events.on((e) => {
      if (e.type === 'user.updated' && e.user.id === u.id) throw new Error('subscriber broke');
    });
    try {
      const socket = await online(s.url, u.token);
      const before = await failures('event_listener');
      const r = await client(s.url, u.token).patch('/v1/me', { displayName: 'still saved' });
      assert.equal(r.status, 200, r.text);
      assert.equal((await socket.next('event')).event.user.displayName, 'still saved');
      await socket.close();
      assert.equal(await failures('event_listener'), before + 1);
      const logged = lines.find((l) => l.task === 'event_listener');
      assert.ok(logged, 'a line names the task');
      assert.equal(logged.level, 50);
      assert.equal(logged.event, 'user.updated');
      assert.equal(logged.appId, s.appId);
      assert.equal((logged.err as { message: string }).message, 'subscriber broke');
    } finally {
      off();
    }
  });

  test('a WebSocket error (a frame over the limit) is logged as a warning and counted, and the socket closes', async () => {
    const u = await makeUser(s);
    const socket = await online(s.url, u.token);
    const before = await failures('websocket');
    socket.ws.send('x'.repeat(10_000));
    assert.equal((await socket.closed).code, 1009);
    const deadline = Date.now() + 3000;
    while ((await failures('websocket')) === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.equal(await failures('websocket'), before + 1);
    const logged = lines.find((l) => l.task === 'websocket');
    assert.ok(logged, 'a line names the task');
    assert.equal(logged.level, 40, 'a warning: a peer misbehaved');
    assert.match(String(logged.session), /\./, 'the line names the session');
    assert.match(String((logged.err as { message: string }).message), /payload/i);
  });

  test('a dtalk socket error (a frame over the limit) is counted as a websocket failure and logged as a warning', async () => {
    const sub = await SocketClient.connect(s.url);
    const before = await failures('websocket');
    const warnings = lines.length;
    sub.ws.send(Buffer.alloc(10_000));
    const deadline = Date.now() + 3000;
    while ((await failures('websocket')) === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.equal(await failures('websocket'), before + 1);
    const logged = lines.slice(warnings).find((l) => l.task === 'websocket');
    assert.ok(logged, 'a line names the task');
    assert.equal(logged.level, 40);
    assert.equal(logged.user, 'unauthenticated');
    assert.match(String((logged.err as { message: string }).message), /payload/i);
  });

  test('a WebSocket send the database refuses: the client gets an internal error for its ref, and the failure is logged and counted', async () => {
    const [alice, bob] = [await makeUser(s), await makeUser(s)];
    await refuseInserts(s.db, 'messages', 'client_id', 'refused-by-test');
    const socket = await online(s.url, alice.token);
    const before = await failures('gateway');
    socket.send({ type: 'send', ref: 'r1', message: { userId: bob.id, clientId: 'refused-by-test', type: 'text', body: { text: 'lost?' } } });
    const answer = await socket.next('error');
    assert.deepEqual([answer.ref, answer.code], ['r1', 'internal']);
    assert.equal(await failures('gateway'), before + 1);
    const logged = lines.find((l) => l.task === 'gateway' && l.what === 'send');
    assert.ok(logged, 'an error line says a send failed');
    assert.equal(logged.level, 50);
    assert.match(String(logged.session), /\./);
    assert.match(String((logged.err as { message: string }).message), /refused by the test/);
    await socket.close();
  });

  test('a bus payload that is not an envelope is dropped, logged and counted; the session keeps working', async () => {
    const u = await makeUser(s);
    const socket = await online(s.url, u.token);
    const before = await failures('bus_handler');
    const topic = s.gateway.topics.user(u.id);
    s.bus.publish(topic, 'not an envelope');
    // Then a real change: once it reaches the socket, the garbage (published first) was handled.
    assert.equal((await client(s.url, u.token).patch('/v1/me', { displayName: 'after garbage' })).status, 200);
    assert.equal((await socket.next('event')).event.user.displayName, 'after garbage');
    assert.equal(await failures('bus_handler'), before + 1);
    const logged = lines.find((l) => l.task === 'bus_handler' && l.topic === topic);
    assert.ok(logged, 'a line names the topic');
    assert.equal(logged.undecodable, 'not an envelope');
    await socket.close();
  });

  test('a burst of one kind of failure is counted in full but logs at most 20 lines a second, then how many were not logged', async () => {
    const u = await makeUser(s);
    const socket = await online(s.url, u.token);
    const topic = s.gateway.topics.user(u.id);
    const before = await failures('bus_handler');
    const linesBefore = lines.length;
    for (let i = 0; i < 30; i++) s.bus.publish(topic, `garbage ${i}`);
    assert.equal((await client(s.url, u.token).patch('/v1/me', { displayName: 'after the burst' })).status, 200);
    assert.equal((await socket.next('event')).event.user.displayName, 'after the burst');
    assert.equal(await failures('bus_handler'), before + 30, 'every failure is counted');
    const deadline = Date.now() + 3000;
    const summary = () => lines.slice(linesBefore).find((l) => l.task === 'bus_handler' && l.suppressed !== undefined);
    while (!summary() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    // The previous test's failure may have opened this second's window: 20 lines in all per window.
    const logged = lines.slice(linesBefore).filter((l) => l.task === 'bus_handler' && l.undecodable !== undefined).length;
    assert.ok(logged >= 19 && logged <= 20, `at most 20 lines in the window (${logged})`);
    assert.equal(summary()?.suppressed, 30 - logged, 'one line says how many were not logged');
    await socket.close();
  });
});
