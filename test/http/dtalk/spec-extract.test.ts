// The committed facts the route-coverage test stands on (test/fixtures/api/dtalk.json) hold all 40 routes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dtalkRoutes } from './spec-routes.ts';

test('dtalk-app-api.md: 40 sections, 40 distinct POST paths', () => {
  const routes = dtalkRoutes();
  assert.equal(routes.length, 40);
  assert.deepEqual(routes.map((r) => r.section), Array.from({ length: 40 }, (_, i) => i + 1));
  assert.equal(new Set(routes.map((r) => r.path)).size, 40);
  for (const p of ['/app/start-call', '/record/push2', '/app/user/login', '/group/app/member/muteTime', '/oss/get-host']) {
    assert.ok(routes.some((r) => r.path === p), p);
  }
});

test('dtalk-app-api.md: the request fields the fuzz suite fills', () => {
  const byPath = new Map(dtalkRoutes().map((r) => [r.path, r.request]));
  assert.deepEqual(byPath.get('/app/start-call'), [
    { name: 'groupId', type: 'string', optional: false },
    { name: 'invitees', type: '[]string', optional: false },
    { name: 'RTCType', type: 'int32', optional: false },
  ]);
  assert.deepEqual(byPath.get('/group/app/group-info')?.map((f) => f.name), ['id', 'idStr']);
  assert.deepEqual(byPath.get('/group/app/group-list'), []);
});
