// The committed route facts (test/fixtures/api/*.json) hold every route the
// three documents define, or the coverage tests built on them would prove nothing.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lanyingRoutes, legacyRoutes, ximRoutes } from '../../support/spec-routes.ts';

test('lanying-group-api.md: 53 sections, 76 method+path pairs, every path under /group', () => {
  const routes = lanyingRoutes();
  assert.equal(new Set(routes.map((r) => r.section)).size, 53);
  assert.equal(routes.length, 76);
  assert.ok(routes.every((r) => r.path.startsWith('/group')));
  const pairs = new Set(routes.map((r) => `${r.method} ${r.path}`));
  assert.equal(pairs.size, routes.length, 'no pair listed twice');
  for (const p of ['POST /group/create', 'DELETE /group/destroy', 'POST /group/destroy', 'GET /group/qrcode/sign', 'PUT /group/transfer', 'GET /group/user_joined']) {
    assert.ok(pairs.has(p), p);
  }
});

test('xim-group-api.md: the five GET methods', () => {
  assert.deepEqual(
    ximRoutes().map((r) => `${r.method} ${r.path}`),
    ['CreateOrRelate', 'InfoBatch', 'JoinOrCreate', 'History', 'Quit'].map((m) => `GET /med.xim.Group/${m}`),
  );
});

test('legacy-group-api.md: the eight POST actions', () => {
  assert.deepEqual(
    legacyRoutes().map((r) => `${r.method} ${r.path}`),
    ['joinGroup', 'groupList', 'getGroupDetail', 'userSetGroup', 'exitGroup', 'deleteUser', 'updateGroup'].map((a) => `POST /chat/group!${a}`).concat('POST /chat/chat!loadChatRecords'),
  );
});
