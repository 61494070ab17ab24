// Group messages through the real groups module (GroupGate): who may send,
// what new members see, read counts, revoke by role, notices of group events.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { client } from '../../support/http.ts';
import { makeUser } from '../../support/fixtures.ts';

describe('native group messages', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ manualClock: true });
  });
  after(() => s.stop());

  async function group(settings: Record<string, unknown> = {}, members = 2) {
    const owner = await makeUser(s);
    const users = [];
    for (let i = 0; i < members; i++) users.push(await makeUser(s));
    const r = await client(s.url, owner.token).post('/v1/groups', { name: 'g', memberIds: users.map((u) => u.id), settings });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return { id: r.body.group.id as number, owner, users };
  }
  const text = (t: string) => ({ type: 'text', body: { text: t } });

  test('members send; the event goes to the group; non-members are refused and nothing is stored', async () => {
    const g = await group();
    const events: any[] = [];
    const off = s.core.events.on((e) => events.push(e));
    const r = await client(s.url, g.users[0].token).post(`/v1/groups/${g.id}/messages`, text('hi all'));
    off();
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.kind, 'group');
    assert.equal(r.body.groupId, g.id);
    const sent = events.find((e) => e.type === 'message.sent');
    assert.deepEqual(sent.audience, { groupId: g.id });
    assert.equal(sent.message.id, r.body.id);

    const outsider = await makeUser(s);
    const refused = await client(s.url, outsider.token).post(`/v1/groups/${g.id}/messages`, text('let me in'));
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'not_group_member');
    assert.equal((await client(s.url, outsider.token).get(`/v1/groups/${g.id}/messages`)).status, 403);
    const h = await client(s.url, g.owner.token).get(`/v1/groups/${g.id}/messages`);
    assert.deepEqual(h.body.items.filter((m: any) => m.type === 'text').map((m: any) => m.body.text), ['hi all']);
  });

  test('a muted member is refused until unmuted; mute-all lets only owner and admins speak', async () => {
    const g = await group({}, 3);
    const owner = client(s.url, g.owner.token);
    const [m1, m2, m3] = g.users.map((u) => client(s.url, u.token));
    assert.equal((await m1.post(`/v1/groups/${g.id}/messages`, text('before'))).status, 201);
    assert.equal((await owner.post(`/v1/groups/${g.id}/mutes`, { userIds: [g.users[0].id], minutes: 10 })).status, 200);
    const muted = await m1.post(`/v1/groups/${g.id}/messages`, text('muted'));
    assert.equal(muted.status, 403);
    assert.equal(muted.body.error.code, 'member_muted');
    s.clock!.advance(10 * 60_000 + 1);
    assert.equal((await m1.post(`/v1/groups/${g.id}/messages`, text('free again'))).status, 201);

    assert.equal((await owner.post(`/v1/groups/${g.id}/admins`, { userIds: [g.users[1].id] })).status, 200);
    assert.equal((await owner.put(`/v1/groups/${g.id}/mute-all`, { forever: true })).status, 200);
    const silenced = await m3.post(`/v1/groups/${g.id}/messages`, text('quiet?'));
    assert.equal(silenced.status, 403);
    assert.equal(silenced.body.error.code, 'group_muted');
    assert.equal((await m2.post(`/v1/groups/${g.id}/messages`, text('admin speaks'))).status, 201);
    assert.equal((await owner.post(`/v1/groups/${g.id}/messages`, text('owner speaks'))).status, 201);
    assert.equal((await owner.delete(`/v1/groups/${g.id}/mute-all`)).status, 200);
    assert.equal((await m3.post(`/v1/groups/${g.id}/messages`, text('spring'))).status, 201);
  });

  test('new members do not see earlier history unless the group shows it', async () => {
    for (const historyVisible of [false, true]) {
      const g = await group({ historyVisible });
      await client(s.url, g.users[0].token).post(`/v1/groups/${g.id}/messages`, text('old news'));
      s.clock!.advance(1000);
      const late = await makeUser(s);
      assert.equal((await client(s.url, g.owner.token).post(`/v1/groups/${g.id}/members`, { userIds: [late.id] })).status, 200);
      s.clock!.advance(1000);
      await client(s.url, g.users[0].token).post(`/v1/groups/${g.id}/messages`, text('new news'));
      const cl = client(s.url, late.token);
      const texts = (await cl.get(`/v1/groups/${g.id}/messages`, { query: { order: 'asc' } })).body.items.filter((m: any) => m.type === 'text').map((m: any) => m.body.text);
      const synced = (await cl.get('/v1/sync', { query: { limit: 200 } })).body.items.filter((m: any) => m.type === 'text' && m.groupId === g.id).map((m: any) => m.body.text);
      const expected = historyVisible ? ['old news', 'new news'] : ['new news'];
      assert.deepEqual(texts, expected, `historyVisible=${historyVisible}`);
      assert.deepEqual(synced, expected, `sync, historyVisible=${historyVisible}`);
    }
  });

  test('read counts with receipts on', async () => {
    const g = await group({ readReceipts: true }, 3);
    const sender = client(s.url, g.users[0].token);
    const m = (await sender.post(`/v1/groups/${g.id}/messages`, text('did you read this?'))).body;
    await client(s.url, g.users[1].token).put(`/v1/groups/${g.id}/read`, { seq: m.seq });
    await client(s.url, g.owner.token).put(`/v1/groups/${g.id}/read`, { seq: m.seq });
    const reads = await sender.get(`/v1/messages/${m.id}/reads`);
    assert.deepEqual(reads.body, { messageId: m.id, readCount: 2, unreadCount: 1 });
    const h = await sender.get(`/v1/groups/${g.id}/messages`);
    assert.equal(h.body.items.find((x: any) => x.id === m.id).readCount, 2);

    const plain = await group({ readReceipts: false });
    const pm = (await client(s.url, plain.users[0].token).post(`/v1/groups/${plain.id}/messages`, text('x'))).body;
    assert.equal((await client(s.url, plain.users[0].token).get(`/v1/messages/${pm.id}/reads`)).status, 403);
    const ph = await client(s.url, plain.users[0].token).get(`/v1/groups/${plain.id}/messages`);
    assert.equal(ph.body.items.find((x: any) => x.id === pm.id).readCount, undefined);
  });

  test('revoke by role: owner any message, admins not the owner\'s, members only their own within the window', async () => {
    const g = await group({}, 3);
    const owner = client(s.url, g.owner.token);
    const [admin, m2, m3] = g.users.map((u) => client(s.url, u.token));
    await owner.post(`/v1/groups/${g.id}/admins`, { userIds: [g.users[0].id] });
    const byOwner = (await owner.post(`/v1/groups/${g.id}/messages`, text('owner says'))).body;
    const byMember = (await m2.post(`/v1/groups/${g.id}/messages`, text('member says'))).body;
    const byOther = (await m3.post(`/v1/groups/${g.id}/messages`, text('other says'))).body;
    assert.equal((await m2.post(`/v1/messages/${byOther.id}/revoke`)).body.error.code, 'group_admin_required');
    assert.equal((await admin.post(`/v1/messages/${byOwner.id}/revoke`)).status, 403);
    s.clock!.advance(10 * 60_000);
    assert.equal((await m2.post(`/v1/messages/${byMember.id}/revoke`)).body.error.code, 'revoke_window_passed');
    const events: any[] = [];
    const off = s.core.events.on((e) => events.push(e));
    assert.equal((await admin.post(`/v1/messages/${byMember.id}/revoke`)).body.type, 'revoked');
    off();
    assert.deepEqual(events.find((e) => e.type === 'message.revoked').audience, { groupId: g.id });
    assert.equal((await owner.post(`/v1/messages/${byOther.id}/revoke`)).body.revokedBy, g.owner.id);
  });

  test('group events are recorded as notices that offline members get through sync', async () => {
    const g = await group();
    const m = client(s.url, g.users[0].token);
    // Catch up first, as a device that was online until now.
    let position = 0;
    for (;;) {
      const page = (await m.get('/v1/sync', { query: { since: position, limit: 200 } })).body;
      position = page.position;
      if (!page.more) break;
    }
    const newcomer = await makeUser(s);
    await client(s.url, g.owner.token).post(`/v1/groups/${g.id}/members`, { userIds: [newcomer.id] });
    await client(s.url, g.owner.token).patch(`/v1/groups/${g.id}`, { name: 'renamed' });
    const later = await m.get('/v1/sync', { query: { since: position, limit: 200 } });
    const notices = later.body.items.filter((x: any) => x.type === 'notice' && x.groupId === g.id);
    assert.deepEqual(notices.map((n: any) => n.body.kind), ['group.members_joined', 'group.updated']);
    assert.deepEqual(notices[0].body.data.userIds, [newcomer.id]);
    assert.equal(notices[1].body.data.name, 'renamed');
    assert.equal(notices[0].senderId, null);
  });

  test('a group change and its notice commit together: the notice is in history when the change answers, before any later message', async () => {
    const g = await group({}, 3);
    const owner = client(s.url, g.owner.token);
    // Sends racing the kick: every one either precedes the notice or follows it in seq order.
    const racing = Array.from({ length: 20 }, (_, i) => client(s.url, g.users[0].token).post(`/v1/groups/${g.id}/messages`, text(`race ${i}`)));
    const kicked = await owner.post(`/v1/groups/${g.id}/members/remove`, { userIds: [g.users[2].id] });
    assert.equal(kicked.status, 200, JSON.stringify(kicked.body));
    const history = async () => (await owner.get(`/v1/groups/${g.id}/messages?order=asc&limit=200`)).body.items as any[];
    // No waiting: the notice committed with the kick.
    const notice = (await history()).find((m) => m.type === 'notice' && m.body.kind === 'group.members_removed');
    assert.ok(notice, 'the kick notice is stored by the time the kick answers');
    assert.deepEqual(notice.body.data.userIds, [g.users[2].id]);
    await Promise.all(racing);
    const after = await owner.post(`/v1/groups/${g.id}/messages`, text('after the kick'));
    assert.ok(after.body.seq > notice.seq);
    const seqs = (await history()).map((m) => m.seq);
    assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => i + 1), 'gapless, in commit order');
  });

  test('200 parallel sends from several members get seqs exactly 1..200 after the notices', async () => {
    const g = await group({}, 4);
    const base = (await client(s.url, g.owner.token).get(`/v1/groups/${g.id}/messages`, { query: { limit: 1 } })).body.lastSeq;
    const senders = [g.owner, ...g.users].map((u) => client(s.url, u.token));
    const replies = await Promise.all(Array.from({ length: 200 }, (_, i) => senders[i % senders.length].post(`/v1/groups/${g.id}/messages`, text(`p${i}`))));
    assert.ok(replies.every((r) => r.status === 201));
    assert.deepEqual(replies.map((r) => r.body.seq).sort((a, b) => a - b), Array.from({ length: 200 }, (_, i) => base + i + 1));
  });

  test('a dismissed group refuses sends and keeps its history readable', async () => {
    const g = await group();
    const m = client(s.url, g.users[0].token);
    await m.post(`/v1/groups/${g.id}/messages`, text('last words'));
    assert.equal((await client(s.url, g.owner.token).delete(`/v1/groups/${g.id}`)).status < 300, true);
    const r = await m.post(`/v1/groups/${g.id}/messages`, text('anyone?'));
    assert.equal(r.status, 409);
    assert.equal(r.body.error.code, 'group_dismissed');
    const h = await m.get(`/v1/groups/${g.id}/messages`);
    assert.ok(h.body.items.some((x: any) => x.body.text === 'last words'));
  });
});
