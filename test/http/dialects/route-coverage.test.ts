// Every route and verb the three documents define (their committed facts,
// test/fixtures/api) is served: it answers in its dialect's envelope with a
// code the dialect documents — never 404 or 405, never the dialect's
// internal-failure code, and without moving parley_internal_errors_total
// (an internal failure a dialect answers with 200 would otherwise pass).
// Nothing can be forgotten: a route added to a document fails here until it
// is served.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { makeUser } from '../../support/fixtures.ts';
import { call } from '../../support/http.ts';
import { allSpecRoutes, envelopeOf, lanyingSdkExtras, type SpecRoute } from '../../support/spec-routes.ts';
import { undocumented } from '../../support/envelopes.ts';
import { internalErrors } from '../../support/metrics.ts';

describe('route coverage: every documented route and verb is served', () => {
  let s: TestServer;
  let user: { id: number; token: string };
  before(async () => {
    s = await startTestServer({ manualClock: true });
    user = await makeUser(s);
  });
  after(() => s.stop());

  const headersFor = (r: SpecRoute): Record<string, string> => {
    switch (r.dialect) {
      case 'lanying':
        return { app_id: String(s.appId), 'access-token': user.token };
      case 'xim':
        return { authorization: `Bearer ${s.adminToken}` };
      case 'legacy':
        return { uid: String(user.id), accessToken: user.token, client: 'c', expire: String(s.clock!.now() + 3_600_000) };
    }
  };

  test('the documents define 76 + 5 + 8 method/path pairs', () => {
    const routes = allSpecRoutes();
    assert.equal(routes.length, 89);
  });

  test('each answers in its own envelope with a documented code, not 404/405, and no internal error', async () => {
    for (const r of [...allSpecRoutes(), ...lanyingSdkExtras]) {
      const before = await internalErrors(s);
      const res = await call(s.url, r.method, r.path, { headers: headersFor(r), ...(r.method === 'GET' ? {} : { body: {} }) });
      const where = `${r.method} ${r.path} → ${res.status} ${res.text.slice(0, 300)}`;
      assert.equal(res.status, 200, where);
      assert.notEqual(envelopeOf(r.dialect, res.body), 'foreign', where);
      assert.equal(undocumented(r.dialect, res.body), undefined, where);
      assert.equal((await internalErrors(s)).total, before.total, `internal error counted: ${where}`);
    }
  });

  test('the check can fail: an internal failure answered in the envelope is caught', async () => {
    assert.match(String(undocumented('lanying', { code: 20000, message: 'internal error', data: null })), /not a documented/);
    assert.match(String(undocumented('xim', { code: 1003, errcode: 1003, message: 'x', errmsg: 'x', data: null })), /not a documented/);
    assert.match(String(undocumented('legacy', { success: false, info: '服务器内部错误', code: 'internal' })), /not a core error code/);
  });

  test('the check can fail: an undocumented path is 404', async () => {
    const res = await call(s.url, 'POST', '/group/no_such_route', { headers: { app_id: String(s.appId), 'access-token': user.token }, body: {} });
    assert.equal(res.status, 404);
  });
});
