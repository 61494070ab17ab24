// Every route of dtalk-app-api.md is served: a signed POST to each path (and
// to the /call alias of each call route) gets a dtalk envelope whose result
// is in the error table, never a 404 or 405, whatever the body — and no
// internal failure hides behind a 200 (parley_internal_errors_total stays).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { dtalkRoutes } from './spec-routes.ts';
import { DtalkUser } from './support.ts';
import { dtalkResults } from '../../support/envelopes.ts';
import { internalErrors } from '../../support/metrics.ts';

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
    const before = await internalErrors(server);
    const r = await user.post(path, {});
    const where = `${path} → ${r.status} ${r.text.slice(0, 200)}`;
    assert.ok(r.status !== 404 && r.status !== 405, where);
    assert.equal(r.status, 200, where);
    assert.ok(dtalkResults.has(r.body.result), `undocumented result: ${where}`);
    assert.equal(typeof r.body.message, 'string', where);
    assert.ok('data' in r.body, where);
    assert.equal((await internalErrors(server)).total, before.total, `internal error counted: ${where}`);
  }
});
