import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { makeUser } from '../../support/fixtures.ts';
import { lanying } from '../../support/lanying.ts';

describe('lanying auth: app_id, access-token, admin acting as a user or a group admin', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ manualClock: true });
  });
  after(() => s.stop());

  test('missing token 10003, unknown token 10008, expired token 402, all as HTTP 200', async () => {
    const none = await lanying(s.url, { appId: s.appId }).get('/group/user_joined');
    assert.deepEqual([none.status, none.body.code, none.body.data], [200, 10003, null]);
    // URLs containing "info" arrive without a token from the web SDK: answered, not crashed.
    assert.equal((await lanying(s.url, { appId: s.appId }).get('/group/info', { group_id: 1 })).body.code, 10003);
    assert.equal((await lanying(s.url, { appId: s.appId, token: 'pu_nope' }).get('/group/user_joined')).body.code, 10008);
    const u = await makeUser(s);
    const { token } = await s.core.tokens.issue({ appId: s.appId, kind: 'user', userId: u.id, ttlSeconds: 60 });
    assert.equal((await lanying(s.url, { appId: s.appId, token }).get('/group/user_joined')).body.code, 200);
    s.clock!.advance(61_000);
    assert.equal((await lanying(s.url, { appId: s.appId, token }).get('/group/user_joined')).body.code, 402);
  });

  test('a token of another app_id is invalid; a missing app_id is 40000', async () => {
    const u = await makeUser(s);
    const other = await s.core.apps.create('other');
    assert.equal((await lanying(s.url, { appId: other.id, token: u.token }).get('/group/user_joined')).body.code, 10008);
    assert.equal((await lanying(s.url, { appId: '', token: u.token }).get('/group/user_joined')).body.code, 40000);
  });

  test('an admin token acts as header user_id; without it, user routes say 10010; a user token ignores the headers', async () => {
    const owner = await makeUser(s);
    const other = await makeUser(s);
    const asOwner = lanying(s.url, { appId: s.appId, token: s.adminToken, userId: owner.id });
    const created = await asOwner.post('/group/create', { name: 'by admin' });
    assert.equal(created.body.code, 200, created.text);
    assert.equal(created.body.data.owner_id, owner.id);
    assert.deepEqual((await asOwner.get('/group/user_joined')).body.data, [created.body.data.group_id]);
    assert.equal((await lanying(s.url, { appId: s.appId, token: s.adminToken }).post('/group/create', { name: 'x' })).body.code, 10010);
    assert.equal((await lanying(s.url, { appId: s.appId, token: s.adminToken, userId: 987654 }).get('/group/user_joined')).body.code, 10000);
    // A user token cannot borrow someone else's identity through user_id.
    const sneaky = lanying(s.url, { appId: s.appId, token: other.token, userId: owner.id });
    assert.deepEqual((await sneaky.get('/group/user_joined')).body.data, []);
  });

  test('an admin token with header group_id acts as that group admin', async () => {
    const owner = await makeUser(s);
    const m = await makeUser(s);
    const g = (await lanying(s.url, { appId: s.appId, token: owner.token }).post('/group/create', { name: 'g', user_list: [m.id] })).body.data.group_id;
    const asGroupAdmin = lanying(s.url, { appId: s.appId, token: s.adminToken, groupId: g });
    const kicked = await asGroupAdmin.post('/group/kick', { group_id: g, user_list: [m.id] });
    assert.deepEqual(kicked.body.data, [{ user_id: m.id, result: 'success', reason: '' }]);
    assert.equal((await asGroupAdmin.post('/group/info/name', { group_id: g, value: 'renamed by app' })).body.data, true);
    assert.equal((await s.core.groups.lifecycle.get({ appId: s.appId, userId: owner.id, appAdmin: false }, g)).name, 'renamed by app');
  });
});
