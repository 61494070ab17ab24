// Three Parley processes on PostgreSQL behind nginx (the shipped
// deploy/nginx/parley.conf), over Redis and then over NATS, their files in
// S3 (the emulator); clients talk to nginx, except where a test must choose
// the process (files uploaded through one and read through another).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { client } from '../support/http.ts';
import { createHash } from 'node:crypto';
import { brokers, s3Env, CLUSTER_TIMEOUT, skipUnlessCluster, startCluster, type TestCluster } from '../support/cluster.ts';
import { startTestS3, type TestS3 } from '../support/s3.ts';
import { connectWs, type WsClient } from '../support/ws.ts';

const skip = skipUnlessCluster();
const MIN_PART = 1024;
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

async function send(url: string, method: string, token: string, body?: Buffer | string, headers: Record<string, string> = {}) {
  const payload = typeof body === 'string' ? body : body && new Uint8Array(body);
  const res = await fetch(url, { method, headers: { authorization: `Bearer ${token}`, ...headers }, ...(payload === undefined ? {} : { body: payload }) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, text };
}

for (const [name, bus] of Object.entries(brokers)) {
  describe(`3 processes behind nginx over ${name}`, { skip, timeout: CLUSTER_TIMEOUT }, () => {
    let cluster: TestCluster;
    let s3: TestS3;
    before(async () => {
      s3 = await startTestS3();
      cluster = await startCluster({ bus, env: { ...s3Env(s3.options), PARLEY_MIN_PART_SIZE: String(MIN_PART) } });
    }, { timeout: CLUSTER_TIMEOUT });
    after(async () => {
      await cluster?.stop();
      await s3?.stop();
    }, { timeout: CLUSTER_TIMEOUT });

    test('WebSockets through nginx spread over every process, and a group message sent over HTTP reaches each of them in order', { timeout: CLUSTER_TIMEOUT }, async () => {
      const owner = await cluster.user();
      const members = await Promise.all(Array.from({ length: 5 }, () => cluster.user()));
      const created = await client(cluster.url, owner.token).post('/v1/groups', { name: 'behind nginx', memberIds: members.map((m) => m.id) });
      assert.equal(created.status, 201, created.text);
      const groupId = created.body.group.id;
      const sockets: WsClient[] = [];
      const nodesSeen = new Set<string>();
      for (const m of [owner, ...members]) {
        const c = await connectWs(cluster.url, m.token);
        const welcome = await c.next('welcome');
        nodesSeen.add(String(welcome.sessionId).split('.')[0]);
        c.send({ type: 'hello', positions: { [`g:${groupId}`]: 0 } });
        sockets.push(c);
      }
      // nginx's round robin: six connections in a row land on all three processes.
      assert.deepEqual([...nodesSeen].sort(), ['1', '2', '3']);
      const start = await Promise.all(sockets.map(async (c) => (await c.next('ready')).positions[`g:${groupId}`] as number));
      const from = start[0]!;
      assert.ok(start.every((p) => p === from), `every socket replayed up to the same seq: ${start}`);
      for (let i = 1; i <= 15; i++) {
        const r = await client(cluster.url, members[i % members.length]!.token).post(`/v1/groups/${groupId}/messages`, { type: 'text', body: { text: `m${i}` }, clientId: `c${i}` });
        assert.equal(r.status, 201, r.text);
      }
      for (const c of sockets) {
        const got: string[] = [];
        let seq = from;
        while (got.length < 15) {
          const f = await c.next('message');
          assert.equal(f.seq, ++seq, 'in order, no gap, no duplicate');
          got.push(f.message.body.text);
        }
        assert.deepEqual(got, Array.from({ length: 15 }, (_, i) => `m${i + 1}`));
      }
      await Promise.all(sockets.map((c) => c.close()));
    });

    test('sends over a WebSocket through nginx are acknowledged and stored once across processes', { timeout: CLUSTER_TIMEOUT }, async () => {
      const [alice, bob] = [await cluster.user(), await cluster.user()];
      const a = await connectWs(cluster.url, alice.token);
      await a.next('welcome');
      a.send({ type: 'hello' });
      await a.next('ready');
      for (let i = 1; i <= 10; i++) a.send({ type: 'send', ref: `r${i}`, message: { userId: bob.id, type: 'text', body: { text: `w${i}` }, clientId: `w${i}` } });
      // The same client ids again, over plain HTTP through nginx (another process, most likely): acknowledged with the originals.
      const acks = [];
      for (let i = 1; i <= 10; i++) acks.push((await a.next('ack')).message);
      for (let i = 1; i <= 10; i++) {
        const r = await client(cluster.url, alice.token).post(`/v1/users/${bob.id}/messages`, { type: 'text', body: { text: `w${i}` }, clientId: `w${i}` });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.body.id, acks[i - 1].id);
      }
      const h = await client(cluster.url, bob.token).get(`/v1/users/${alice.id}/messages`, { query: { order: 'asc', limit: 50 } });
      assert.deepEqual(h.body.items.map((m: any) => m.body.text), Array.from({ length: 10 }, (_, i) => `w${i + 1}`));
      await a.close();
    });

    test('a file uploaded through one process downloads through another, and through nginx by its signed URL', { timeout: CLUSTER_TIMEOUT }, async () => {
      const u = await cluster.user();
      const [one, two, three] = cluster.nodes.map((n) => n.url) as [string, string, string];
      const bytes = Buffer.from(`hello across nodes over ${name}`);
      const up = await send(`${one}/v1/files?key=cluster/hello.txt&visibility=private`, 'POST', u.token, bytes, { 'content-type': 'text/plain' });
      assert.equal(up.status, 201, up.text);
      const got = await fetch(`${two}/v1/files/${up.body.id}/content`, { headers: { authorization: `Bearer ${u.token}` } });
      assert.equal(got.status, 200);
      assert.ok(Buffer.from(await got.arrayBuffer()).equals(bytes));
      const signed = await send(`${three}/v1/files/${up.body.id}/url`, 'POST', u.token, '{}', { 'content-type': 'application/json' });
      assert.equal(signed.status, 200, signed.text);
      assert.ok(String(signed.body.url).startsWith(cluster.url), `signed on the public URL (nginx): ${signed.body.url}`);
      const viaNginx = await fetch(signed.body.url);
      assert.equal(viaNginx.status, 200);
      assert.ok(Buffer.from(await viaNginx.arrayBuffer()).equals(bytes));
    });

    test('a multipart upload whose parts arrive at different processes completes on a third and downloads on any', { timeout: CLUSTER_TIMEOUT }, async () => {
      const u = await cluster.user();
      const urls = cluster.nodes.map((n) => n.url);
      const init = await send(`${urls[0]}/v1/uploads`, 'POST', u.token, JSON.stringify({ key: 'cluster/parts.bin', visibility: 'private' }), { 'content-type': 'application/json' });
      assert.equal(init.status, 201, init.text);
      const id = init.body.id;
      const parts = [Buffer.alloc(MIN_PART, 'a'), Buffer.alloc(MIN_PART + 7, 'b'), Buffer.from('the tail')];
      const etags: string[] = [];
      for (const [i, part] of parts.entries()) {
        // Part 1 through process 2, part 2 through process 3, part 3 through process 1.
        const r = await send(`${urls[(i + 1) % 3]}/v1/uploads/${id}/parts/${i + 1}`, 'PUT', u.token, part);
        assert.equal(r.status, 200, r.text);
        assert.equal(r.body.etag, md5(part));
        etags.push(r.body.etag);
      }
      const listed = await send(`${urls[2]}/v1/uploads/${id}`, 'GET', u.token);
      assert.deepEqual(listed.body.parts.map((p: { partNumber: number }) => p.partNumber), [1, 2, 3]);
      const done = await send(`${urls[2]}/v1/uploads/${id}/complete`, 'POST', u.token, JSON.stringify({ parts: etags.map((etag, i) => ({ partNumber: i + 1, etag })) }), { 'content-type': 'application/json' });
      assert.equal(done.status, 200, done.text);
      assert.equal(done.body.size, parts.reduce((n, p) => n + p.length, 0));
      for (const base of [...urls, cluster.url]) {
        const got = await fetch(`${base}/v1/files/${done.body.id}/content`, { headers: { authorization: `Bearer ${u.token}` } });
        assert.equal(got.status, 200);
        assert.ok(Buffer.from(await got.arrayBuffer()).equals(Buffer.concat(parts)), `the whole file through ${base}`);
      }
    });
  });
}
