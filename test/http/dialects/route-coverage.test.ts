// Every route and verb the three documents define (read from the documents
// themselves) is served: it answers in its dialect's envelope, never 404 or
// 405. Nothing can be forgotten: a route added to a document fails here
// until it is served.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { makeUser } from '../../support/fixtures.ts';
import { call } from '../../support/http.ts';
import { allSpecRoutes, envelopeOf, lanyingSdkExtras, type SpecRoute } from '../../support/spec-routes.ts';

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

  test('each answers in its own envelope, not 404/405', async () => {
    for (const r of [...allSpecRoutes(), ...lanyingSdkExtras]) {
      const res = await call(s.url, r.method, r.path, { headers: headersFor(r), ...(r.method === 'GET' ? {} : { body: {} }) });
      assert.ok(res.status !== 404 && res.status !== 405, `${r.method} ${r.path} → ${res.status}`);
      assert.notEqual(envelopeOf(r.dialect, res.body), 'foreign', `${r.method} ${r.path}: ${res.text}`);
    }
  });

  test('the check can fail: an undocumented path is 404', async () => {
    const res = await call(s.url, 'POST', '/group/no_such_route', { headers: { app_id: String(s.appId), 'access-token': user.token }, body: {} });
    assert.equal(res.status, 404);
  });
});
