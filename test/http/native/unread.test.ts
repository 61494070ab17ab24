// Unread counts and mentions that a reader can trust (issue 15 item 6):
// through the native API and the WebSocket, on SQLite and PostgreSQL.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { client } from '../../support/http.ts';
import { online } from '../../support/ws.ts';
import { makeUser } from '../../support/fixtures.ts';

const text = (t: string, extra: Record<string, unknown> = {}) => ({ type: 'text', body: { text: t, ...extra } });

describe('unread counts and mentions', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ manualClock: true });
  });
  after(() => s.stop());

  async function listed(api: ReturnType<typeof client>, pick: (c: any) => boolean) {
    const r = await api.get('/v1/conversations');
    assert.equal(r.status, 200, r.text);
    const item = r.body.items.find(pick);
    assert.ok(item, `conversation missing from ${r.text}`);
    return item;
  }

  test('your own messages are never unread to you, in the list and in the read state', async () => {
    const a = await makeUser(s);
    const b = await makeUser(s);
    const ca = client(s.url, a.token);
    const cb = client(s.url, b.token);
    await cb.post(`/v1/users/${a.id}/messages`, text('hi alice'));
    await ca.post(`/v1/users/${b.id}/messages`, text('hi bob'));
    await ca.post(`/v1/users/${b.id}/messages`, text('how are you?'));
    const mine = await listed(ca, (c) => c.peerId === b.id);
    assert.deepEqual({ unread: mine.unread, mentions: mine.mentions, lastSeq: mine.lastSeq }, { unread: 1, mentions: 0, lastSeq: 3 });
    await ca.put(`/v1/users/${b.id}/read`, { seq: 1 });
    assert.deepEqual((await ca.get(`/v1/users/${b.id}/read`)).body, { conversationId: mine.id, readSeq: 1, lastSeq: 3, unread: 0, mentions: 0 });
    const theirs = await listed(cb, (c) => c.peerId === a.id);
    assert.deepEqual({ unread: theirs.unread, mentions: theirs.mentions }, { unread: 2, mentions: 0 });
  });

  test('joining a group does not make its earlier history unread, visible or not', async () => {
    for (const historyVisible of [true, false]) {
      const owner = await makeUser(s);
      const co = client(s.url, owner.token);
      const g = (await co.post('/v1/groups', { name: 'old hands', settings: { historyVisible } })).body.group;
      for (let i = 0; i < 10; i++) await co.post(`/v1/groups/${g.id}/messages`, text(`before ${i}`));
      const late = await makeUser(s);
      const cl = client(s.url, late.token);
      assert.equal((await co.post(`/v1/groups/${g.id}/members`, { userIds: [late.id] })).status, 200);
      const joined = await listed(cl, (c) => c.groupId === g.id);
      assert.equal(joined.unread, 0, `historyVisible=${historyVisible}: ${JSON.stringify(joined)}`);
      assert.equal(joined.readSeq, joined.lastSeq);
      s.clock!.advance(1000);
      await co.post(`/v1/groups/${g.id}/messages`, text('welcome!'));
      assert.equal((await listed(cl, (c) => c.groupId === g.id)).unread, 1);
      assert.equal((await cl.get(`/v1/groups/${g.id}/read`)).body.unread, 1);
    }
  });

  test('revoked messages and notices stop counting; mentions of you and of everyone are counted', async () => {
    const [owner, m1, m2] = [await makeUser(s), await makeUser(s), await makeUser(s)];
    const co = client(s.url, owner.token);
    const c1 = client(s.url, m1.token);
    const g = (await co.post('/v1/groups', { name: 'mentions', memberIds: [m1.id, m2.id] })).body.group;
    const start = (await listed(c1, (c) => c.groupId === g.id));
    assert.equal(start.unread, 0, JSON.stringify(start));
    await co.post(`/v1/groups/${g.id}/messages`, text('@m1 look', { mentions: [m1.id] }));
    await co.post(`/v1/groups/${g.id}/messages`, text('@m2 look', { mentions: [m2.id] }));
    await co.post(`/v1/groups/${g.id}/messages`, text('@all look', { mentionAll: true }));
    const oops = (await co.post(`/v1/groups/${g.id}/messages`, text('@m1 oops', { mentions: [m1.id] }))).body;
    await co.put(`/v1/groups/${g.id}`, { name: 'renamed' }); // a notice: not unread
    let item = await listed(c1, (c) => c.groupId === g.id);
    assert.deepEqual({ unread: item.unread, mentions: item.mentions }, { unread: 4, mentions: 3 });
    assert.equal((await co.post(`/v1/messages/${oops.id}/revoke`)).status, 200);
    item = await listed(c1, (c) => c.groupId === g.id);
    assert.deepEqual({ unread: item.unread, mentions: item.mentions }, { unread: 3, mentions: 2 });
    const read = await c1.put(`/v1/groups/${g.id}/read`, { seq: item.lastSeq });
    assert.deepEqual({ unread: read.body.unread, mentions: read.body.mentions }, { unread: 0, mentions: 0 });
  });

  test('read positions move forward only and reach your other devices; mark-as-unread brings a conversation back', async () => {
    const a = await makeUser(s);
    const b = await makeUser(s);
    const ca = client(s.url, a.token);
    const cb = client(s.url, b.token);
    for (let i = 1; i <= 3; i++) await cb.post(`/v1/users/${a.id}/messages`, text(`m${i}`));
    const phone = await online(s.url, a.token);
    try {
      const laptop = await ca.put(`/v1/users/${b.id}/read`, { seq: 3 });
      assert.deepEqual({ readSeq: laptop.body.readSeq, unread: laptop.body.unread }, { readSeq: 3, unread: 0 });
      const seen = (await phone.next('event')).event;
      assert.deepEqual({ type: seen.type, userId: seen.userId, seq: seen.seq, conversationId: seen.conversationId }, { type: 'conversation.read', userId: a.id, seq: 3, conversationId: laptop.body.conversationId });
      // A late report from a slower device does not move the position back.
      assert.equal((await ca.put(`/v1/users/${b.id}/read`, { seq: 1 })).body.readSeq, 3);
      assert.equal((await listed(ca, (c) => c.peerId === b.id)).unread, 0);

      const marked = await ca.post(`/v1/users/${b.id}/unread`, { seq: 2 });
      assert.equal(marked.status, 200, marked.text);
      assert.deepEqual({ readSeq: marked.body.readSeq, unread: marked.body.unread }, { readSeq: 1, unread: 2 });
      const back = (await phone.next('event')).event;
      assert.deepEqual({ type: back.type, seq: back.seq }, { type: 'conversation.read', seq: 1 });
      // The phone converges: the list it reads after the event says the same.
      assert.equal((await listed(ca, (c) => c.peerId === b.id)).unread, 2);
      // The peer's receipts do not go back: bob was never told.
      assert.equal((await cb.get(`/v1/users/${a.id}/read`)).body.readSeq, 0);

      const last = await ca.post(`/v1/users/${b.id}/unread`, {});
      assert.deepEqual({ readSeq: last.body.readSeq, unread: last.body.unread }, { readSeq: 1, unread: 2 });
      await ca.put(`/v1/users/${b.id}/read`, { seq: 3 });
      const again = await ca.post(`/v1/users/${b.id}/unread`, {});
      assert.deepEqual({ status: again.status, readSeq: again.body.readSeq, unread: again.body.unread }, { status: 200, readSeq: 2, unread: 1 });
      const bodiless = await ca.post(`/v1/users/${b.id}/unread`);
      assert.equal(bodiless.status, 400);
      assert.match(bodiless.body.error.message, /body/);
    } finally {
      await phone.close();
    }
  });

  test('mark-as-unread refuses bad input with a clear error and changes nothing', async () => {
    const a = await makeUser(s);
    const b = await makeUser(s);
    const ca = client(s.url, a.token);
    const empty = await ca.post(`/v1/users/${b.id}/unread`, {});
    assert.equal(empty.status, 400);
    assert.match(empty.body.error.message, /no message/);
    await client(s.url, b.token).post(`/v1/users/${a.id}/messages`, text('x'));
    await ca.put(`/v1/users/${b.id}/read`, { seq: 1 });
    for (const body of [{ seq: 0 }, { seq: 2 }, { seq: '1' }, { other: 1 }]) {
      const r = await ca.post(`/v1/users/${b.id}/unread`, body);
      assert.equal(r.status, 400, `${JSON.stringify(body)} → ${r.text}`);
      assert.ok(r.body.error?.message, r.text);
    }
    assert.equal((await ca.get(`/v1/users/${b.id}/read`)).body.readSeq, 1);
    const stranger = await makeUser(s);
    const g = (await client(s.url, stranger.token).post('/v1/groups', { name: 'closed' })).body.group;
    assert.equal((await ca.post(`/v1/groups/${g.id}/unread`, {})).status, 403);
  });
});
