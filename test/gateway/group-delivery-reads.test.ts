// Delivery to a group costs store reads per message, never per member: a
// message reaches each connected member through the group's bus topic, to
// which the member's session subscribed once at hello, so no member's
// devices, membership or profile is read while messages flow. Shown by
// counting every SQL statement the server runs (statement-counter.ts) and
// every store call outside transactions (store-spy.ts) while N messages go
// over a WebSocket into a group with 2 members connected and then into one with
// 40: the counts must not grow with the members.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { client } from '../support/http.ts';
import { makeUser } from '../support/fixtures.ts';
import { startTestServer } from '../support/server.ts';
import { online, type WsClient } from '../support/ws.ts';
import { spyOnStore } from '../support/store-spy.ts';
import { countStatements } from '../support/statement-counter.ts';

const N = 12;
/** Tables a read per member would touch: their devices, membership rows, profiles, read positions, presence. */
const MEMBER_TABLES = ['devices', 'group_members', 'users', 'read_positions', 'user_presence'];
/**
 * Tables of the server's periodic tasks, whose statements may fall in any
 * window: the token revocation watch, the ringing-call sweep, the webhook
 * delivery loop's poll (also woken by each commit), the node lease renewal.
 */
const BACKGROUND = new Set(['tokens', 'calls', 'call_parties', 'webhook_outbox', 'node_leases']);

/** The statements of a window without the periodic tasks': "insert messages" → count. */
function sendPath(byTable: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...byTable].filter(([key]) => !BACKGROUND.has(key.split(' ')[1])).sort());
}
const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

/** Resolves once every socket got `count` text messages of conversation `c` after frame `from[i]`. */
async function delivered(sockets: WsClient[], from: number[], c: string, count: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (const [i, s] of sockets.entries()) {
    const texts = () => s.frames.slice(from[i]).filter((f) => f.type === 'message' && f.conversation === c && f.message.type === 'text');
    while (texts().length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    assert.equal(texts().length, count, `member ${i} got ${texts().length} of ${count}`);
  }
}

test('N messages into a group cost the same statements with 2 or 40 members connected, none reading a member, a device or the membership', async (t) => {
  const server = await startTestServer();
  const statements = countStatements();
  try {
    const owner = await makeUser(server);
    const members = await Promise.all(Array.from({ length: 42 }, () => makeUser(server)));
    const groupOf = async (name: string, of: typeof members) => {
      const r = await client(server.url, owner.token).post('/v1/groups', { name, memberIds: of.map((m) => m.id) });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body.group.id as number;
    };
    const small = { id: await groupOf('small', members.slice(0, 2)), members: members.slice(0, 2) };
    const big = { id: await groupOf('big', members.slice(2)), members: members.slice(2) };
    const sender = await online(server.url, owner.token);
    let acks = 0;
    /** Sends `n` texts into the group over the owner's socket, then waits for every delivery. */
    const round = async (g: { id: number }, sockets: WsClient[], n: number) => {
      const from = sockets.map((s) => s.frames.length);
      // One at a time, each its own commit (as at 1 msg/s): no batching hides a per-message cost.
      for (let i = 0; i < n; i++) {
        sender.send({ type: 'send', ref: `${g.id}-${++acks}`, message: { groupId: g.id, type: 'text', body: { text: `${i}` } } });
        assert.equal((await sender.next('ack')).type, 'ack');
      }
      await delivered(sockets, from, `g:${g.id}`, n);
    };
    const smallSockets = await Promise.all(small.members.map((m) => online(server.url, m.token)));
    const bigSockets = await Promise.all(big.members.map((m) => online(server.url, m.token)));
    // One message each first: what a first send reads once (the sender's standing, the conversation) is not per message.
    await round(small, smallSockets, 1);
    await round(big, bigSockets, 1);

    const measure = async (g: typeof small, sockets: WsClient[]) => {
      const spy = spyOnStore(server.core.store);
      statements.reset();
      await round(g, sockets, N);
      const member = Object.fromEntries(MEMBER_TABLES.map((table) => [table, statements.on(table)]).filter(([, kinds]) => Object.keys(kinds).length > 0));
      // The next spy wraps this one's wrappers; only its own counts are read.
      return { statements: sendPath(statements.byTable), all: Object.fromEntries(statements.byTable), member, calls: Object.fromEntries(spy.calls) };
    };
    const few = await measure(small, smallSockets);
    const many = await measure(big, bigSockets);
    const why = JSON.stringify({ few, many });
    t.diagnostic(`${N} messages: ${sum(few.statements)} statements with 2 members connected, ${sum(many.statements)} with 40: ${JSON.stringify(many.statements)}`);

    assert.equal(bigSockets.length, 40);
    // Every message is written (so the counter sees the send path), with a handful of statements each (more on PostgreSQL, whose stream positions are claimed), whatever the audience.
    assert.ok(sum(many.statements) >= N && sum(many.statements) <= 16 * N, `${sum(many.statements)} statements for ${N} messages: ${why}`);
    // The same statements, one for one, for 40 members as for 2.
    assert.deepEqual(many.statements, few.statements, why);
    assert.deepEqual(many.member, {}, `a member's table was read while messages flowed: ${why}`);
    assert.deepEqual(few.member, {}, why);
    for (const name of Object.keys(many.calls)) assert.ok(!/^(devices|users|presence|readPositions|groups\.members)\./.test(name), `${name} was called: ${why}`);

    await Promise.all([sender, ...smallSockets, ...bigSockets].map((s) => s.close()));
  } finally {
    statements.close();
    await server.stop();
  }
});
