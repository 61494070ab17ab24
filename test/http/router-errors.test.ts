// What the router refuses before any dialect runs (a path parameter that is
// not valid percent-encoding, or too long) is answered in the native error
// envelope, not Fastify's own body, and is not counted as an internal error.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.ts';
import { makeUser } from '../support/fixtures.ts';
import { call } from '../support/http.ts';
import { internalErrors } from '../support/metrics.ts';

let s: TestServer;
let token: string;
before(async () => {
  s = await startTestServer();
  token = (await makeUser(s)).token;
});
after(() => s.stop());

test('a path parameter that is not valid percent-encoding: 400 invalid_argument in the native envelope', async () => {
  const res = await call(s.url, 'GET', '/v1/groups/x%ED%A0%80y/members', { token });
  assert.equal(res.status, 400);
  assert.equal(res.body.error.code, 'invalid_argument');
  assert.match(res.body.error.message, /not a valid url component/);
  assert.ok(res.headers.get('x-request-id'));
});

test('a path parameter past the router limit: 414 in the native envelope', async () => {
  const res = await call(s.url, 'GET', `/v1/groups/${'9'.repeat(300)}`, { token });
  assert.equal(res.status, 414);
  assert.equal(res.body.error.code, 'invalid_argument');
  assert.equal((await internalErrors(s)).total, 0);
});
