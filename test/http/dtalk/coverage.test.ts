// Every route of dtalk-app-api.md is served: a signed POST to each path (and
// to the /call alias of each call route) gets a dtalk envelope, never a 404
// or 405, whatever the body.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { dtalkRoutes } from './spec-routes.ts';
import { DtalkUser } from './support.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer({ manualClock: true });
});
after(() => server.stop());

test('all 40 documented routes answer with the envelope', async () => {
  const user = new DtalkUser(server);
  const routes = dtalkRoutes();
  assert.equal(routes.length, 40);
  const paths = routes.flatMap((r) => (/^\/app\/(start-call|reply-busy|check-call|handle-call)$/.test(r.path) ? [r.path, `/call${r.path}`] : [r.path]));
  for (const path of paths) {
    const r = await user.post(path, {});
    assert.ok(r.status !== 404 && r.status !== 405, `${path} answered ${r.status}`);
    assert.equal(r.status, 200, path);
    assert.equal(typeof r.body.result, 'number', path);
    assert.equal(typeof r.body.message, 'string', path);
  }
});
