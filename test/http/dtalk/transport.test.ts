import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { DtalkUser, rawPost } from './support.ts';

describe('dtalk transport: go-zero body rules, envelope, front', () => {
  let server: TestServer;
  let alice: DtalkUser;
  before(async () => {
    server = await startTestServer({ manualClock: true });
    alice = new DtalkUser(server);
  });
  after(() => server.stop());

  test('/ping answers 200 and OPTIONS anywhere on the dialect answers 204 with CORS *', async () => {
    const ping = await fetch(new URL('/ping', server.url));
    assert.equal(ping.status, 200);
    for (const path of ['/app/user/login', '/group/app/group-list', '/oss/upload', '/record/push', '/call/app/start-call', '/app/not-a-route']) {
      const r = await fetch(new URL(path, server.url), { method: 'OPTIONS' });
      assert.equal(r.status, 204, path);
      assert.equal(r.headers.get('access-control-allow-origin'), '*');
      assert.equal(r.headers.get('access-control-allow-methods'), '*');
      assert.equal(r.headers.get('access-control-allow-headers'), '*');
    }
  });

  test('answers carry CORS * and compact JSON', async () => {
    const r = await alice.post('/app/user/login', { connType: 0 });
    assert.equal(r.headers.get('access-control-allow-origin'), '*');
    assert.equal(r.text, `{"result":0,"message":"OK","data":{"address":"${alice.address}"}}`);
  });

  test('a body without application/json binds as {}: required fields are "not set"', async () => {
    for (const contentType of [null, 'text/plain', 'application/x-www-form-urlencoded']) {
      const r = await alice.post('/app/user/login', undefined, { raw: '{"connType":0}', contentType });
      assert.deepEqual(r.body, { result: -1012, message: '请求参数错误', data: '请求参数错误 with child err: field connType is not set' }, String(contentType));
    }
    const empty = await alice.post('/app/user/login', undefined, { raw: '', contentType: 'application/json' });
    assert.equal(empty.body.data, '请求参数错误 with child err: field connType is not set');
  });

  test('Content-Type is matched by substring, as go-zero does', async () => {
    const r = await alice.post('/app/user/login', undefined, { raw: '{"connType":1}', contentType: 'application/json;charset=utf-8' });
    assert.equal(r.body.result, 0);
  });

  test('wrong types, broken JSON and non-object bodies are -1012 with a reason', async () => {
    const cases: [string, RegExp][] = [
      ['{"connType":"x"}', /type mismatch for field connType/],
      ['{"connType":1.5}', /type mismatch for field connType/],
      ['{"connType":true}', /type mismatch for field connType/],
      ['{"connType":', /with child err: /],
      ['[1,2]', /type mismatch/],
      ['"text"', /type mismatch/],
      ['{"connType":99999999999999999999999}', /cannot parsed as int/],
    ];
    for (const [raw, reason] of cases) {
      const r = await alice.post('/app/user/login', undefined, { raw });
      assert.equal(r.status, 200, raw);
      assert.equal(r.body.result, -1012, raw);
      assert.match(r.body.data as string, reason, raw);
    }
  });

  test('auth is checked before the body: a bad signature with a bad body is -1010', async () => {
    const r = await alice.post('/app/user/login', undefined, { raw: '{broken', signature: 'nope' });
    assert.equal(r.body.result, -1010);
  });

  test('bodies over 1 MiB get a bare 413', async () => {
    const big = `{"connType":0,"pad":"${'x'.repeat(1_048_576)}"}`;
    const r = await alice.post('/app/user/login', undefined, { raw: big });
    assert.equal(r.status, 413);
    assert.equal(r.text, '');
    // the server is still there
    assert.equal((await alice.post('/app/user/login', { connType: 0 })).body.result, 0);
  });

  test('routes are POST only; unknown paths are 404', async () => {
    const get = await fetch(new URL('/app/user/login', server.url));
    assert.equal(get.status, 404);
    const unknown = await rawPost(server.url, '/app/nope', { 'content-type': 'application/json' }, '{}');
    assert.equal(unknown.status, 404);
  });
});
