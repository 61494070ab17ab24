import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import pino from 'pino';
import { startTestServer, type TestServer } from '../support/server.ts';
import { client } from '../support/http.ts';
import { createTestDatabase, skipUnlessPostgres } from '../support/database.ts';

describe('operations endpoints', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(() => s.stop());

  test('healthz and readyz answer', async () => {
    const c = client(s.url);
    assert.deepEqual((await c.get('/healthz')).body, { status: 'ok' });
    assert.deepEqual((await c.get('/readyz')).body, { status: 'ready' });
  });

  test('metrics are Prometheus text with request durations', async () => {
    await client(s.url).get('/healthz');
    const r = await client(s.url).get('/metrics');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /text\/plain/);
    assert.match(r.text, /parley_http_request_duration_seconds_bucket/);
    assert.match(r.text, /parley_process_cpu/);
  });

  test('the OpenAPI document lists the native routes, and /docs serves a page', async () => {
    const doc = (await client(s.url).get('/openapi.json')).body;
    assert.equal(doc.openapi, '3.1.0');
    for (const path of ['/v1/users', '/v1/users/{id}', '/v1/me', '/v1/tokens']) assert.ok(doc.paths[path], path);
    const docs = await fetch(new URL('/docs/', s.url));
    assert.equal(docs.status, 200);
    assert.match(await docs.text(), /swagger/i);
  });

  test('every response carries a request id, and a given one is echoed', async () => {
    const r = await client(s.url).get('/healthz', { headers: { 'x-request-id': 'abc-123' } });
    assert.equal(r.headers.get('x-request-id'), 'abc-123');
    assert.ok((await client(s.url).get('/healthz')).headers.get('x-request-id'));
  });

  test('CORS answers preflight requests', async () => {
    const r = await fetch(new URL('/v1/me', s.url), { method: 'OPTIONS', headers: { origin: 'http://example.test', 'access-control-request-method': 'GET' } });
    assert.equal(r.status, 204);
    assert.equal(r.headers.get('access-control-allow-origin'), '*');
  });

  test('unknown native routes are a JSON 404', async () => {
    const r = await client(s.url).get('/v1/nope');
    assert.equal(r.status, 404);
    assert.equal(r.body.error.code, 'not_found');
  });
});

describe('readiness', () => {
  test('readyz checks the database: once it stops answering, 503 "not ready" with no detail; the detail is logged', async () => {
    const lines: Record<string, any>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, any>);
        done();
      },
    });
    const s = await startTestServer({ logger: pino({ level: 'error' }, sink) });
    try {
      assert.deepEqual((await client(s.url).get('/readyz')).body, { status: 'ready' });
      await s.core.store.close();
      const r = await client(s.url).get('/readyz');
      assert.equal(r.status, 503);
      assert.deepEqual(r.body, { status: 'not ready' });
      const logged = lines.find((l) => l.component === 'readiness');
      assert.ok(logged, 'the reason is logged');
      assert.equal(logged.level, 50);
      assert.ok(logged.err?.message, 'with the database error');
      assert.ok(!r.text.includes(logged.err.message), 'which the answer does not repeat');
    } finally {
      await s.stop().catch(() => {});
      await s.db.drop().catch(() => {});
    }
  });
});

describe('first start', () => {
  // An embedded SQLite file belongs to one process; several processes share PostgreSQL.
  const skip = skipUnlessPostgres('several processes share only PostgreSQL');
  test('two servers starting together on one empty database make one default app', { skip }, async () => {
    const db = await createTestDatabase({ postgres: true });
    const [a, b] = await Promise.all([startTestServer({ db, config: { nodeId: 1 } }), startTestServer({ db, config: { nodeId: 2 } })]);
    try {
      assert.equal((await a.core.apps.list()).length, 1);
      assert.equal([a.bootstrap, b.bootstrap].filter(Boolean).length, 1, 'exactly one prints an admin token');
      assert.equal(a.appId, b.appId);
    } finally {
      await a.stop();
      await b.stop();
      await db.drop();
    }
  });
});
