// The SDK against a real Parley through a TCP proxy: while messages flow both
// ways the proxy drops every connection and later the server restarts; in the
// end the SDK's copy of each conversation must equal the server's history
// exactly (nothing lost, nothing twice), and every send made over the socket
// is acknowledged once even when its first attempt died with the connection.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConversationMirror, ParleyClient, type Message, type Target } from '../../packages/sdk/src/index.ts';
import { createTestDatabase } from '../support/database.ts';
import { makeUser } from '../support/fixtures.ts';
import { freePort, waitUntil } from '../support/ports.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { startTcpProxy } from '../support/tcp-proxy.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The whole history of a conversation as the server holds it, oldest first. */
async function serverHistory(client: ParleyClient, of: Target): Promise<Message[]> {
  const out: Message[] = [];
  for (let after = 0; ; ) {
    const page = await client.messages.history(of, { after, order: 'asc', limit: 100 });
    out.push(...page.items);
    if (!page.more || page.items.length === 0) return out;
    after = page.items[page.items.length - 1].seq;
  }
}

const shape = (ms: Message[]) => ms.map((m) => ({ id: m.id, seq: m.seq, senderId: m.senderId, clientId: m.clientId, type: m.type, body: m.body }));

test('the SDK ends equal to the server after a network cut and a server restart mid-stream', async () => {
  const db = await createTestDatabase();
  const port = await freePort();
  let server: TestServer = await startTestServer({ db, config: { port } });
  const proxy = await startTcpProxy({ host: '127.0.0.1', port });
  const direct = `http://127.0.0.1:${port}`;
  const alice = await makeUser(server, 'alice_sdk');
  const bob = await makeUser(server, 'bob_sdk');
  const bobApi = new ParleyClient({ baseUrl: direct, token: bob.token });
  const aliceDirect = new ParleyClient({ baseUrl: direct, token: alice.token });
  const group = await bobApi.groups.create({ name: 'resume', memberIds: [alice.id] });

  // Alice is the SDK under test, reaching the server only through the proxy.
  const aliceApi = new ParleyClient({ baseUrl: `http://127.0.0.1:${proxy.port}`, token: alice.token });
  const mirror = new ConversationMirror(aliceApi);
  const states: string[] = [];
  const socket = mirror.socket({ minBackoffMs: 50, maxBackoffMs: 400, onState: (s) => states.push(s) });
  try {
    socket.connect();
    await waitUntil(() => socket.state === 'online', 20_000, 'the first connect');

    // Bob sends straight to the server; a send that fails while it restarts is repeated with its clientId.
    const bobSends = async (to: Target, n: number, tag: string) => {
      for (let i = 0; i < n; i++) {
        for (;;) {
          try {
            await bobApi.messages.send(to, { type: 'text', body: { text: `${tag} ${i}` }, clientId: `${tag}-${i}` });
            break;
          } catch {
            await sleep(50);
          }
        }
        await sleep(10);
      }
    };
    const aliceAcks: Promise<Message>[] = [];
    const aliceSends = async (n: number) => {
      for (let i = 0; i < n; i++) {
        aliceAcks.push(socket.send({ groupId: group.id }, { type: 'text', body: { text: `alice ${i}` }, clientId: `alice-${i}` }));
        await sleep(15);
      }
    };

    const traffic = Promise.all([bobSends({ groupId: group.id }, 80, 'bob-g'), bobSends({ userId: alice.id }, 30, 'bob-p'), aliceSends(60)]);

    await sleep(300);
    await proxy.cut(); // the network drops under the socket mid-stream
    await sleep(400);
    await proxy.restore();
    await sleep(300);
    await server.stop(); // the server process goes away and comes back on the same port and database
    server = await startTestServer({ db, config: { port } });
    await traffic;

    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${socket.unacknowledged} socket sends never acked`)), 30_000)));
    const acked = await Promise.race([Promise.all(aliceAcks), late]).finally(() => clearTimeout(timer));
    assert.equal(new Set(acked.map((m) => m.id)).size, 60, 'every socket send is acked with its own message');
    assert.equal(socket.unacknowledged, 0);

    const groupKey = `g:${group.id}`;
    const privateKey = `p:${Math.min(alice.id, bob.id)}:${Math.max(alice.id, bob.id)}`;
    let want: { g: Message[]; p: Message[] } = { g: [], p: [] };
    await waitUntil(
      async () => {
        await mirror.settled();
        want = { g: await serverHistory(aliceDirect, { groupId: group.id }), p: await serverHistory(aliceDirect, { userId: bob.id }) };
        return JSON.stringify(shape(mirror.messages(groupKey))) === JSON.stringify(shape(want.g)) && JSON.stringify(shape(mirror.messages(privateKey))) === JSON.stringify(shape(want.p));
      },
      30_000,
      'the mirror to equal the server',
    );
    assert.deepEqual(shape(mirror.messages(groupKey)), shape(want.g));
    assert.deepEqual(shape(mirror.messages(privateKey)), shape(want.p));
    assert.deepEqual(mirror.keys().sort(), [groupKey, privateKey].sort());
    // Nothing twice: each clientId is stored once, and the counts are the sends made.
    const texts = want.g.filter((m) => m.type === 'text');
    assert.equal(texts.length, 140);
    assert.equal(new Set(texts.map((m) => m.clientId)).size, 140);
    assert.equal(want.p.length, 30);
    // The run really reconnected: the socket went offline at least twice (cut, restart).
    assert.ok(states.filter((s) => s === 'offline').length >= 2, `states: ${states.join(',')}`);
    assert.deepEqual(mirror.positions()[groupKey], want.g[want.g.length - 1].seq);
  } finally {
    socket.close();
    await proxy.close();
    await server.stop();
    await db.drop();
  }
});
