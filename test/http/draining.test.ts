// A server that has begun to stop (SIGTERM) tells its WebSocket clients to
// move (1001), answers /readyz with 503 and refuses new WebSocket upgrades
// with 503 before upgrading, so a proxy hands them to another process.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import WebSocket from 'ws';
import { makeUser } from '../support/fixtures.ts';
import { startTestServer } from '../support/server.ts';
import { online } from '../support/ws.ts';

test('draining: 1001 to open sockets, /readyz 503, new upgrades 503 (not 101)', async () => {
  const server = await startTestServer();
  try {
    const u = await makeUser(server);
    assert.equal((await fetch(`${server.url}/readyz`)).status, 200);
    const socket = await online(server.url, u.token);
    const closing = server.gateway.close();
    assert.equal((await socket.closed).code, 1001);
    const ready = await fetch(`${server.url}/readyz`);
    assert.equal(ready.status, 503);
    assert.deepEqual(await ready.json(), { status: 'draining' });
    const refused = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const ws = new WebSocket(`${server.url.replace('http', 'ws')}/v1/ws`, { headers: { authorization: `Bearer ${u.token}` } });
      ws.on('open', () => reject(new Error('a draining server upgraded a new WebSocket')));
      ws.on('error', () => {});
      ws.on('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
    });
    assert.equal(refused.status, 503);
    assert.equal(JSON.parse(refused.body).error.code, 'server_draining');
    // Plain HTTP still works until the listener closes: requests in flight finish.
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
    await closing;
  } finally {
    await server.stop();
  }
});
