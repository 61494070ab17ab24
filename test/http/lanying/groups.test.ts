// Conformance of the group routes (lanying-group-api.md 4.16–4.17, 4.24–4.29,
// 4.39, 4.42–4.50, 4.53): field names and types from the document itself,
// defaults, permissions, and the web SDK's ways of calling.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { makeUser } from '../../support/fixtures.ts';
import { assertDocumented, lanying } from '../../support/lanying.ts';
import { client } from '../../support/http.ts';

describe('lanying groups', () => {
  let s: TestServer;
  const as = (token: string) => lanying(s.url, { appId: s.appId, token });
  before(async () => {
    s = await startTestServer({ manualClock: true });
  });
  after(() => s.stop());

  test('create: documented fields and the original defaults; user_list joins; info and settings agree', async () => {
    const owner = await makeUser(s);
    const a = await makeUser(s);
    const b = await makeUser(s);
    const r = await as(owner.token).post('/group/create', { name: '周末', description: 'd', avatar: 'http://a/x.png', user_list: [a.id, String(b.id)] });
    assertDocumented('POST /group/create', r);
    const d = r.body.data;
    assert.deepEqual(
      [d.status, d.type, d.member_invite, d.apply_approval, d.read_ack, d.history_visible, d.member_modify, d.ban_expire_time, d.count, d.owner_id, d.name],
      [0, 0, true, 1, false, false, false, 0, 3, owner.id, '周末'],
    );
    const info = await as(a.token).get('/group/info', { group_id: d.group_id });
    assertDocumented('GET /group/info', info);
    assert.equal(info.body.data.count, 3);
    assertDocumented('GET /group/settings', await as(a.token).get('/group/settings', { group_id: String(d.group_id) }));
    const chat = await as(owner.token).post('/group/create', { name: 'room', type: 2 });
    assert.equal(chat.body.data.type, 2);
    assert.equal((await as(owner.token).post('/group/create', { type: 5 })).body.code, 10002);
  });

  test('info edits: admins always, members only with member_modify; PUT and POST alike', async () => {
    const owner = await makeUser(s);
    const m = await makeUser(s);
    const g = (await as(owner.token).post('/group/create', { name: 'g', user_list: [m.id] })).body.data.group_id;
    for (const [path, field] of [['/group/info/name', 'name'], ['/group/info/avatar', 'avatar'], ['/group/info/description', 'description'], ['/group/info/ext', 'ext']] as const) {
      const r = await as(owner.token).put(path, { group_id: g, value: `new ${field}` });
      assert.equal(r.body.data, true, `${path}: ${r.text}`);
      assert.equal((await as(owner.token).get('/group/info', { group_id: g })).body.data[field], `new ${field}`);
    }
    assert.equal((await as(m.token).post('/group/info/name', { group_id: g, value: 'member edit' })).body.code, 20012);
    assert.equal((await as(owner.token).post('/group/settings/allow_member_modify', { group_id: g, value: true })).body.data, true);
    assert.equal((await as(m.token).post('/group/info/name', { group_id: g, value: 'member edit' })).body.data, true);
    assert.equal((await as(owner.token).get('/group/info', { group_id: g })).body.data.member_modify, true);
  });

  test('settings: invitation, read ack, history, approval; ban_all in seconds with -1 for ever; unban_all', async () => {
    const owner = await makeUser(s);
    const m = await makeUser(s);
    const g = (await as(owner.token).post('/group/create', { name: 'g', user_list: [m.id] })).body.data.group_id;
    const o = as(owner.token);
    assert.equal((await o.post('/group/settings/allow_member_invitation', { group_id: g, value: false })).body.data, true);
    assert.equal((await o.put('/group/settings/enable_read_ack', { group_id: g, value: 'true' })).body.data, true);
    assert.equal((await o.post('/group/settings/history_visible', { group_id: g, value: true })).body.data, true);
    assert.equal((await o.post('/group/settings/require_admin_approval', { group_id: g, apply_approval: 2 })).body.data, true);
    let info = (await o.get('/group/settings', { group_id: g })).body.data;
    assert.deepEqual([info.member_invite, info.read_ack, info.history_visible, info.apply_approval], [false, true, true, 2]);
    assert.equal((await o.post('/group/settings/require_admin_approval', { group_id: g, apply_approval: 3 })).body.code, 10002);
    assert.equal((await as(m.token).post('/group/settings/enable_read_ack', { group_id: g, value: false })).body.code, 20012);

    const banned = await o.post('/group/settings/ban_all', { group_id: g, duration: 10 });
    assertDocumented('POST /group/settings/ban_all', banned);
    assert.equal(banned.body.data.ban_expire_time, Math.floor((s.clock!.now() + 600_000) / 1000));
    assert.equal((await o.get('/group/info', { group_id: g })).body.data.ban_expire_time, banned.body.data.ban_expire_time);
    s.clock!.advance(600_001);
    assert.equal((await o.get('/group/info', { group_id: g })).body.data.ban_expire_time, 0);
    assert.equal((await o.post('/group/settings/ban_all', { group_id: g, duration: -1 })).body.data.ban_expire_time, -1);
    assert.equal((await o.post('/group/settings/ban_all', { group_id: g, duration: -5 })).body.code, 10002);
    assert.equal((await as(m.token).post('/group/settings/ban_all', { group_id: g, duration: 1 })).body.code, 20012);
    assert.equal((await o.post('/group/settings/unban_all', { group_id: g })).body.data, true);
    info = (await o.get('/group/info', { group_id: g })).body.data;
    assert.equal(info.ban_expire_time, 0);
  });

  test('hide_member_info (the web SDK switch): staff set it, members read it in the group info, where the client applies it', async () => {
    const owner = await makeUser(s);
    const m = await makeUser(s);
    const g = (await as(owner.token).post('/group/create', { name: 'g', user_list: [m.id] })).body.data.group_id;
    assert.equal((await as(m.token).get('/group/info', { group_id: g })).body.data.hide_member_info, false);
    assert.equal((await as(m.token).post('/group/settings/hide_member_info', { group_id: g, value: true })).body.code, 20012);
    assert.equal((await as(owner.token).put('/group/settings/hide_member_info', { group_id: g, value: true })).body.data, true);
    const info = await as(m.token).get('/group/info', { group_id: g });
    assertDocumented('GET /group/info', info);
    assert.equal(info.body.data.hide_member_info, true);
    assert.equal((await as(owner.token).get('/group/settings', { group_id: g })).body.data.hide_member_info, true);
    // The same setting in the native API.
    assert.equal((await client(s.url, m.token).get(`/v1/groups/${g}`)).body.hideMemberInfo, true);
  });

  test('transfer, destroy (POST with query and {} body, as the web SDK), user_joined, info/batch, public_list', async () => {
    const owner = await makeUser(s);
    const m = await makeUser(s);
    const g = (await as(owner.token).post('/group/create', { name: 'g', user_list: [m.id] })).body.data.group_id;
    const outsider = await makeUser(s);
    assert.equal((await as(owner.token).post('/group/transfer', { group_id: g, new_owner: outsider.id })).body.code, 20005);
    const t = await as(owner.token).post('/group/transfer', { group_id: g, new_owner: m.id });
    assertDocumented('POST /group/transfer', t);
    assert.deepEqual(t.body.data, { reason: '', result: 'success', user_id: m.id });
    assert.equal((await as(owner.token).get('/group/info', { group_id: g })).body.data.owner_id, m.id);

    const joined = await as(owner.token).get('/group/user_joined');
    assertDocumented('GET /group/user_joined', joined);
    assert.deepEqual(joined.body.data, [g]);
    const batch = await as(owner.token).post('/group/info/batch', { group_list: [g, String(g), 424242] });
    assertDocumented('POST /group/info/batch', batch);
    assert.deepEqual(batch.body.data.map((x: { group_id: number; owner: number }) => [x.group_id, x.owner]), [[g, m.id]]);
    assertDocumented('GET /group/public_list', await as(owner.token).get('/group/public_list'));

    assert.equal((await as(owner.token).post('/group/destroy', {}, { query: { group_id: g } })).body.code, 20013);
    const d = await as(m.token).post('/group/destroy', {}, { query: { group_id: g } });
    assertDocumented('POST /group/destroy', d);
    assert.equal((await as(m.token).get('/group/info', { group_id: g })).body.data.status, 1);
    assert.equal((await as(m.token).post('/group/info/name', { group_id: g, value: 'x' })).body.code, 20001);
    assert.equal((await as(m.token).delete('/group/destroy', undefined, { query: { group_id: 123 } })).body.code, 20001);
  });
});
