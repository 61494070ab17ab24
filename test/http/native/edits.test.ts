// Edits (issue 15 item 3) through the native API: the sender, and only the
// sender, changes the text and mentions of a text message within
// PARLEY_EDIT_WINDOW; id and seq stay, editedAt/editCount and the sync
// position move; unread mention counts follow the latest text.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { cast, people } from './groups-helpers.ts';
import { client } from '../../support/http.ts';
import { legacy } from '../../support/legacy.ts';
import { makeUser } from '../../support/fixtures.ts';

const text = (t: string, body: Record<string, unknown> = {}) => ({ type: 'text', body: { text: t, ...body } });
const WINDOW = 60;

describe('edits', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ manualClock: true, config: { editWindow: WINDOW } });
  });
  after(() => s.stop());

  test('the sender edits: same id and seq, new text, editedAt, editCount, a new sync position; history and GET show it', async () => {
    const [a, b] = await people(s, 2);
    const sent = (await a.api.post(`/v1/users/${b.id}/messages`, text('helo'))).body;
    assert.equal(sent.editCount, 0);
    assert.equal(sent.editedAt, null);
    const since = (await b.api.get('/v1/sync?since=0')).body.position;
    s.clock!.advance(1000);
    const r = await a.api.patch(`/v1/messages/${sent.id}`, { text: 'hello' });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual({ id: r.body.id, seq: r.body.seq, text: r.body.body.text, editCount: r.body.editCount, editedAt: r.body.editedAt, createdAt: r.body.createdAt }, { id: sent.id, seq: sent.seq, text: 'hello', editCount: 1, editedAt: sent.createdAt + 1000, createdAt: sent.createdAt });
    assert.ok(r.body.pos > sent.pos);
    const second = (await a.api.patch(`/v1/messages/${sent.id}`, { text: 'hello!' })).body;
    assert.equal(second.editCount, 2);
    // The same edit again (a retry) changes and counts nothing.
    const again = (await a.api.patch(`/v1/messages/${sent.id}`, { text: 'hello!' })).body;
    assert.deepEqual({ editCount: again.editCount, pos: again.pos }, { editCount: 2, pos: second.pos });

    for (const who of [a, b]) {
      const peer = who === a ? b : a;
      const items = (await who.api.get(`/v1/users/${peer.id}/messages`)).body.items;
      assert.deepEqual(items.map((m: any) => [m.id, m.body.text, m.editCount]), [[sent.id, 'hello!', 2]]);
      assert.equal((await who.api.get(`/v1/messages/${sent.id}`)).body.body.text, 'hello!');
    }
    // The other side's sync after its last position returns the latest text once.
    const changes = (await b.api.get(`/v1/sync?since=${since}`)).body;
    assert.deepEqual(changes.items.map((m: any) => [m.id, m.body.text, m.editCount]), [[sent.id, 'hello!', 2]]);
  });

  test('only within the edit window', async () => {
    const [a, b] = await people(s, 2);
    const sent = (await a.api.post(`/v1/users/${b.id}/messages`, text('soon stale'))).body;
    s.clock!.advance(WINDOW * 1000);
    assert.equal((await a.api.patch(`/v1/messages/${sent.id}`, { text: 'just in time' })).status, 200);
    s.clock!.advance(1);
    const r = await a.api.patch(`/v1/messages/${sent.id}`, { text: 'too late' });
    assert.equal(r.status, 403, r.text);
    assert.equal(r.body.error.code, 'edit_window_passed');
    assert.equal((await a.api.get(`/v1/messages/${sent.id}`)).body.body.text, 'just in time');
  });

  test('nobody but the sender: not the owner, not an admin, not the peer, not an outsider', async () => {
    const c = await cast(s);
    const sent = (await c.member.api.post(`/v1/groups/${c.groupId}/messages`, text('mine'))).body;
    for (const [who, status, code] of [[c.owner, 403, 'forbidden'], [c.admin, 403, 'forbidden'], [c.outsider, 403, 'not_group_member']] as const) {
      const r = await who.api.patch(`/v1/messages/${sent.id}`, { text: 'not yours' });
      assert.equal(r.status, status, r.text);
      assert.equal(r.body.error.code, code);
    }
    const [a, b] = await people(s, 2);
    const dm = (await a.api.post(`/v1/users/${b.id}/messages`, text('dm'))).body;
    assert.equal((await b.api.patch(`/v1/messages/${dm.id}`, { text: 'x' })).body.error.code, 'forbidden');
    assert.equal((await c.member.api.get(`/v1/messages/${sent.id}`)).body.body.text, 'mine');
  });

  test('a muted member may not edit either', async () => {
    const c = await cast(s);
    const sent = (await c.member.api.post(`/v1/groups/${c.groupId}/messages`, text('before the mute'))).body;
    assert.equal((await c.admin.api.post(`/v1/groups/${c.groupId}/mutes`, { userIds: [c.member.id], minutes: 10 })).status, 200);
    const r = await c.member.api.patch(`/v1/messages/${sent.id}`, { text: 'after' });
    assert.equal(r.status, 403, r.text);
    assert.equal(r.body.error.code, 'member_muted');
  });

  test('revoke after edit works; editing a revoked message is refused', async () => {
    const [a, b] = await people(s, 2);
    const sent = (await a.api.post(`/v1/users/${b.id}/messages`, text('first draft'))).body;
    assert.equal((await a.api.patch(`/v1/messages/${sent.id}`, { text: 'second draft' })).status, 200);
    const revoked = await a.api.post(`/v1/messages/${sent.id}/revoke`);
    assert.equal(revoked.status, 200, revoked.text);
    assert.equal(revoked.body.type, 'revoked');
    assert.ok(!JSON.stringify(revoked.body).includes('draft'));
    const r = await a.api.patch(`/v1/messages/${sent.id}`, { text: 'third draft' });
    assert.equal(r.status, 409, r.text);
    assert.equal(r.body.error.code, 'conflict');
    const seen = (await b.api.get(`/v1/messages/${sent.id}`)).body;
    assert.equal(seen.type, 'revoked');
    assert.ok(!JSON.stringify(seen).includes('draft'));
  });

  test('only text messages; bad edits get 400 and change nothing', async () => {
    const [a, b] = await people(s, 2);
    const image = (await a.api.post(`/v1/users/${b.id}/messages`, { type: 'image', body: { url: 'https://example.com/x.png' } })).body;
    const r = await a.api.patch(`/v1/messages/${image.id}`, { text: 'an image?' });
    assert.equal(r.status, 400, r.text);
    assert.match(r.body.error.message, /only text messages/);
    const sent = (await a.api.post(`/v1/users/${b.id}/messages`, text('fine'))).body;
    for (const bad of [{}, { text: '' }, { text: '   ' }, { text: 'x', mentions: [0] }, { text: 'x', extra: 1 }, { text: 'x'.repeat(5001) }, { text: 7 }]) {
      const e = await a.api.patch(`/v1/messages/${sent.id}`, bad);
      assert.equal(e.status, 400, `${JSON.stringify(bad)}: ${e.text}`);
    }
    assert.equal((await a.api.patch('/v1/messages/999999999', { text: 'x' })).status, 404);
    const now = (await a.api.get(`/v1/messages/${sent.id}`)).body;
    assert.deepEqual({ text: now.body.text, editCount: now.editCount }, { text: 'fine', editCount: 0 });
  });

  test('a mention added by an edit counts as an unread mention; one removed stops counting', async () => {
    const c = await cast(s);
    const reader = c.member;
    const sent = (await c.admin.api.post(`/v1/groups/${c.groupId}/messages`, text('someone please look'))).body;
    const mentions = async () => (await reader.api.get(`/v1/groups/${c.groupId}/read`)).body;
    assert.deepEqual({ unread: (await mentions()).unread, mentions: (await mentions()).mentions }, { unread: 1, mentions: 0 });
    assert.equal((await c.admin.api.patch(`/v1/messages/${sent.id}`, { text: '@member please look', mentions: [reader.id] })).status, 200);
    assert.equal((await mentions()).mentions, 1);
    const listed = (await reader.api.get('/v1/conversations')).body.items.find((x: any) => x.groupId === c.groupId);
    assert.equal(listed.mentions, 1);
    assert.equal((await c.admin.api.patch(`/v1/messages/${sent.id}`, { text: 'never mind' })).status, 200);
    assert.equal((await mentions()).mentions, 0);
    assert.equal((await c.admin.api.patch(`/v1/messages/${sent.id}`, { text: 'everyone!', mentionAll: true })).status, 200);
    assert.equal((await mentions()).mentions, 1);
  });

  test('another dialect reading history sees the latest text (legacy loadChatRecords)', async () => {
    const a = await makeUser(s);
    const b = await makeUser(s);
    const t0 = s.clock!.now();
    const sent = (await client(s.url, a.token).post(`/v1/users/${b.id}/messages`, text('old words'))).body;
    assert.equal((await client(s.url, a.token).patch(`/v1/messages/${sent.id}`, { text: 'new words' })).status, 200);
    const r = await legacy(s.url, { uid: b.id, accessToken: b.token }).form('chat!loadChatRecords', { chatUserId: a.id, lastTime: String(t0 - 1) });
    assert.equal(r.body.success, true, r.text);
    assert.deepEqual(r.body.recordList.map((x: { msg: string }) => x.msg), ['new words']);
  });
});
