// Conformance of the member routes (lanying-group-api.md 4.1–4.3, 4.12–4.15,
// 4.18, 4.33–4.38, 4.51, 4.52): per-user results, minutes and ms, black list,
// paging with opaque cursor/total/version, and the permission rules.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { makeUser } from '../../support/fixtures.ts';
import { assertDocumented, lanying } from '../../support/lanying.ts';

describe('lanying members', () => {
  let s: TestServer;
  const as = (token: string) => lanying(s.url, { appId: s.appId, token });
  before(async () => {
    s = await startTestServer({ manualClock: true });
  });
  after(() => s.stop());

  async function group(n: number) {
    const owner = await makeUser(s);
    const members = await Promise.all(Array.from({ length: n }, () => makeUser(s)));
    const g = (await as(owner.token).post('/group/create', { name: 'g', user_list: members.map((m) => m.id) })).body.data.group_id as number;
    return { owner, members, g };
  }

  test('admins: add, list, remove; only the owner manages them; per-user results', async () => {
    const { owner, members: [a, b], g } = await group(2);
    const added = await as(owner.token).post('/group/admin/add', { group_id: g, user_list: [a.id, 99999] });
    assertDocumented('POST /group/admin/add', added);
    assert.deepEqual(added.body.data.map((r: { user_id: number; result: string }) => [r.user_id, r.result]), [[a.id, 'success'], [99999, 'fail']]);
    assert.match(added.body.data[1].reason, /^\d+:/);
    const list = await as(b.token).get('/group/admin_list', { group_id: g });
    assertDocumented('GET /group/admin_list', list);
    assert.deepEqual(list.body.data.map((m: { user_id: number }) => m.user_id), [a.id]);
    assert.equal((await as(a.token).post('/group/admin/add', { group_id: g, user_list: [b.id] })).body.code, 20013);
    const removed = await as(owner.token).delete('/group/admin/remove', { group_id: g, user_list: [a.id] });
    assertDocumented('DELETE /group/admin/remove', removed);
    assert.equal(removed.body.data[0].result, 'success');
  });

  test('kick: admins kick members, never the owner; kicked users are gone', async () => {
    const { owner, members: [a, b, c], g } = await group(3);
    await as(owner.token).post('/group/admin/add', { group_id: g, user_list: [a.id] });
    const k = await as(a.token).post('/group/kick', { group_id: g, user_list: [b.id, owner.id] });
    assertDocumented('POST /group/kick', k);
    assert.deepEqual(k.body.data.map((r: { result: string }) => r.result), ['success', 'fail']);
    assert.equal((await as(c.token).delete('/group/kick', { group_id: g, user_list: [a.id] })).body.code, 20012);
    assert.equal((await as(b.token).get('/group/info', { group_id: g })).body.code, 20002);
  });

  test('ban in minutes shows expired_time in ms; banned_list pages; unban clears', async () => {
    const { owner, members, g } = await group(3);
    const ban = await as(owner.token).post('/group/ban', { group_id: g, user_list: members.map((m) => m.id), duration: 30 });
    assertDocumented('POST /group/ban', ban);
    const deadline = s.clock!.now() + 30 * 60_000;
    const first = await as(owner.token).get('/group/banned_list', { group_id: g, limit: 2 });
    assertDocumented('GET /group/banned_list', first);
    assert.equal(first.body.data.length, 2);
    assert.equal(first.body.total, 3);
    assert.equal(first.body.version, 0);
    assert.ok(first.body.cursor.length > 0);
    assert.ok(first.body.data.every((m: { expired_time: number }) => m.expired_time === deadline));
    const second = await as(owner.token).get('/group/banned_list', { group_id: g, limit: 2, cursor: first.body.cursor });
    assert.equal(second.body.data.length, 1);
    assert.equal(second.body.cursor, '');
    // The web SDK sends neither cursor nor limit: the whole list at once.
    assert.equal((await as(owner.token).get('/group/banned_list', { group_id: g })).body.data.length, 3);
    const unban = await as(owner.token).post('/group/unban', { group_id: g, user_list: [members[0].id] });
    assertDocumented('POST /group/unban', unban);
    assert.equal((await as(owner.token).get('/group/banned_list', { group_id: g })).body.total, 2);
    assert.equal((await as(owner.token).post('/group/ban', { group_id: g, user_list: [members[0].id], duration: -3 })).body.code, 10002);
    assert.equal((await as(members[1].token).post('/group/ban', { group_id: g, user_list: [members[0].id], duration: 3 })).body.code, 20012);
    s.clock!.advance(30 * 60_000 + 1);
    assert.equal((await as(owner.token).get('/group/banned_list', { group_id: g })).body.total, 0);
  });

  test('block removes the member and keeps them out (20018); blocked_list; unblock lets them apply again', async () => {
    const { owner, members: [a], g } = await group(1);
    await as(owner.token).post('/group/settings/require_admin_approval', { group_id: g, apply_approval: 0 });
    const b = await as(owner.token).post('/group/block', { group_id: g, user_list: [a.id] });
    assertDocumented('POST /group/block', b);
    assert.equal((await as(a.token).get('/group/info', { group_id: g })).body.code, 20018);
    assert.equal((await as(owner.token).get('/group/info', { group_id: g })).body.data.count, 1);
    assert.equal((await as(a.token).post('/group/apply', { group_id: g })).body.code, 20018);
    const list = await as(owner.token).get('/group/blocked_list', { group_id: g });
    assertDocumented('GET /group/blocked_list', list);
    assert.equal(list.body.data[0].user_id, a.id);
    assert.ok(!Number.isNaN(Date.parse(list.body.data[0].created_at)));
    assertDocumented('DELETE /group/unblock', await as(owner.token).delete('/group/unblock', { group_id: g, user_list: [a.id] }));
    assert.equal((await as(a.token).post('/group/apply', { group_id: g })).body.code, 200);
  });

  test('member_list pages by cursor with total; display names; mute and push modes are per user', async () => {
    const { owner, members: [a, b], g } = await group(2);
    const page = await as(a.token).get('/group/member_list', { group_id: g, limit: 2 });
    assertDocumented('GET /group/member_list', page);
    assert.deepEqual([page.body.data.length, page.body.total], [2, 3]);
    const rest = await as(a.token).get('/group/member_list', { group_id: g, cursor: page.body.cursor, limit: 2 });
    const seen = [...page.body.data, ...rest.body.data].map((m: { user_id: number }) => m.user_id).sort();
    assert.deepEqual(seen, [owner.id, a.id, b.id].sort());
    assert.equal(rest.body.cursor, '');
    assert.equal((await as(a.token).get('/group/member_list', { group_id: g, cursor: 'garbage!' })).body.code, 10002);

    assertDocumented('PUT /group/display_name', await as(a.token).put('/group/display_name', { group_id: g, value: '小A' }));
    const names = await as(owner.token).post('/group/members/display_name', { group_id: g, user_list: [a.id, b.id] });
    assertDocumented('POST /group/members/display_name', names);
    assert.equal(names.body.data.find((m: { user_id: number }) => m.user_id === a.id).display_name, '小A');

    assertDocumented('POST /group/msg/mute_mode', await as(a.token).post('/group/msg/mute_mode', { group_id: g, msg_mute_mode: '2' }));
    assertDocumented('PUT /group/msg/push_mode', await as(a.token).put('/group/msg/push_mode', { group_id: g, msg_push_mode: 4 }));
    const mine = (await as(a.token).get('/group/info', { group_id: g })).body.data;
    assert.deepEqual([mine.msg_mute_mode, mine.msg_push_mode], [2, 4]);
    const theirs = (await as(b.token).get('/group/info', { group_id: g })).body.data;
    assert.deepEqual([theirs.msg_mute_mode, theirs.msg_push_mode], [0, 0]);
    assert.equal((await as(a.token).post('/group/msg/push_mode', { group_id: g, msg_push_mode: 5 })).body.code, 10002);
    assert.equal((await as(b.token).post('/group/msg/not_disturb', { group_id: g, value: true })).body.data, true);
    assert.equal((await as(b.token).get('/group/info', { group_id: g })).body.data.msg_mute_mode, 1);
  });

  test('leave: members leave (POST with query), the owner cannot (20004)', async () => {
    const { owner, members: [a], g } = await group(1);
    const left = await as(a.token).post('/group/leave', {}, { query: { group_id: g } });
    assertDocumented('POST /group/leave', left);
    assert.equal((await as(a.token).get('/group/user_joined')).body.data.length, 0);
    assert.equal((await as(owner.token).delete('/group/leave', undefined, { query: { group_id: g } })).body.code, 20004);
    assert.equal((await as(a.token).post('/group/leave', {}, { query: { group_id: g } })).body.code, 20002);
  });
});
