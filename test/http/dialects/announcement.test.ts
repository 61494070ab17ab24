// A group has one current announcement, whichever dialect writes or reads it
// (issue 13 item 9): legacy `notice`, xim `broadcast`, native `notice` and
// lanying's `/group/announcement/*` (with its history of earlier ones).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { makeUser } from '../../support/fixtures.ts';
import { client } from '../../support/http.ts';
import { lanying } from '../../support/lanying.ts';
import { legacy } from '../../support/legacy.ts';
import { xim } from '../../support/xim.ts';

describe('one announcement across dialects', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ manualClock: true });
  });
  after(() => s.stop());

  async function setup() {
    const owner = await makeUser(s);
    const member = await makeUser(s);
    const ly = lanying(s.url, { appId: s.appId, token: owner.token });
    const g = (await ly.post('/group/create', { name: 'notice board', user_list: [member.id] })).body.data.group_id as number;
    const lg = legacy(s.url, { uid: member.id, accessToken: member.token });
    const ownerLegacy = legacy(s.url, { uid: owner.id, accessToken: owner.token });
    /** What each one-field dialect shows as the current announcement. */
    const shown = async () => {
      const legacyNotice = (await lg.form('group!getGroupDetail', { groupId: String(g) })).body.groupInfo.notice;
      const ximBroadcast = (await xim(s.url, s.adminToken)('InfoBatch', { groupId: g })).body.data.info[0].broadcast;
      const nativeNotice = (await client(s.url, member.token).get(`/v1/groups/${g}`)).body.notice;
      return { legacy: legacyNotice, xim: ximBroadcast, native: nativeNotice };
    };
    const all = (text: string) => ({ legacy: text, xim: text, native: text });
    return { owner, member, g, ly, memberLy: lanying(s.url, { appId: s.appId, token: member.token }), ownerLegacy, shown, all };
  }

  test('a notice set through legacy is lanying announcement/last, and xim and native show it', async () => {
    const { g, ownerLegacy, memberLy, shown, all, owner } = await setup();
    assert.equal((await memberLy.get('/group/announcement/last', { group_id: g })).body.code, 20020);
    const r = await ownerLegacy.form('group!updateGroup', { groupId: String(g), notice: '周五开会' });
    assert.equal(r.body.success, true, r.text);
    const last = await memberLy.get('/group/announcement/last', { group_id: g });
    assert.equal(last.body.code, 200, last.text);
    assert.deepEqual([last.body.data.content, last.body.data.title, last.body.data.group_id, last.body.data.author], ['周五开会', '', g, owner.id]);
    assert.deepEqual(await shown(), all('周五开会'));
  });

  test('lanying announcement/edit is what legacy, xim and native show; the history keeps the earlier ones', async () => {
    const { g, ly, memberLy, ownerLegacy, shown, all, owner } = await setup();
    await ownerLegacy.form('group!updateGroup', { groupId: String(g), notice: 'first, from legacy' });
    const edited = await ly.post('/group/announcement/edit', { group_id: g, title: 'Second', content: 'second, from lanying' });
    assert.equal(edited.body.code, 200, edited.text);
    assert.deepEqual(await shown(), all('second, from lanying'));
    const native = await client(s.url, owner.token).patch(`/v1/groups/${g}`, { notice: 'third, from native' });
    assert.equal(native.status, 200, native.text);
    assert.deepEqual(await shown(), all('third, from native'));
    const list = await memberLy.get('/group/announcement/list', { group_id: g });
    assert.deepEqual(list.body.data.map((a: { title: string; content: string }) => [a.title, a.content]), [['', 'third, from native'], ['Second', 'second, from lanying'], ['', 'first, from legacy']]);
    assert.equal((await memberLy.get('/group/announcement/last', { group_id: g })).body.data.content, 'third, from native');
    // Setting the same notice again adds no history.
    await client(s.url, owner.token).patch(`/v1/groups/${g}`, { notice: 'third, from native' });
    assert.equal((await memberLy.get('/group/announcement/list', { group_id: g })).body.data.length, 3);
  });

  test('withdrawing the current announcement shows the one before it; clearing the notice leaves none current but keeps the history', async () => {
    const { g, ly, memberLy, shown, all, owner } = await setup();
    await ly.post('/group/announcement/edit', { group_id: g, title: 'A', content: 'older' });
    const newer = (await ly.post('/group/announcement/edit', { group_id: g, title: 'only a title', content: '' })).body.data.id as number;
    assert.deepEqual(await shown(), all('only a title'));
    const del = await ly.post(`/group/announcement/delete?group_id=${g}&announcement_id=${newer}`, {});
    assert.equal(del.body.code, 200, del.text);
    assert.deepEqual(await shown(), all('older'));
    const cleared = await client(s.url, owner.token).patch(`/v1/groups/${g}`, { notice: '' });
    assert.equal(cleared.status, 200, cleared.text);
    assert.deepEqual(await shown(), all(''));
    assert.equal((await memberLy.get('/group/announcement/last', { group_id: g })).body.code, 20020);
    assert.deepEqual((await memberLy.get('/group/announcement/list', { group_id: g })).body.data.map((a: { content: string }) => a.content), ['older']);
    // The next one posted is current again.
    await ly.post('/group/announcement/edit', { group_id: g, title: '', content: 'again' });
    assert.deepEqual(await shown(), all('again'));
  });
});
