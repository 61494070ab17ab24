// Large groups through the native API and the WebSocket (docs/groups.md,
// "Large groups"): a notice never makes a valid change fail and names only a
// few people; above the group's noticeMemberThreshold joins and leaves are
// quiet (no notice, the live event to the people concerned and the staff);
// broadcast and slow mode; "who read this" paged from read positions.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { client } from '../../support/http.ts';
import { makeUser } from '../../support/fixtures.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { online } from '../../support/ws.ts';

const text = (t: string) => ({ type: 'text', body: { text: t } });

describe('large groups', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ manualClock: true });
  });
  after(() => s.stop());

  /** Users made through core (a test of thousands needs them fast); ids only. */
  async function userIds(n: number): Promise<number[]> {
    const ids: number[] = [];
    for (let i = 0; i < n; i++) ids.push((await s.core.users.create(s.appId, { handle: `lg${i}_${Math.random().toString(36).slice(2, 10)}` })).id);
    return ids;
  }
  const notices = async (api: ReturnType<typeof client>, groupId: number) =>
    (await api.get(`/v1/groups/${groupId}/messages`, { query: { limit: 50 } })).body.items.filter((m: any) => m.type === 'notice');

  test('a group created with 1,999 members works; its notice names 20 and counts the rest', async () => {
    const owner = await makeUser(s);
    const api = client(s.url, owner.token);
    const ids = await userIds(1999);
    const r = await api.post('/v1/groups', { name: 'town', memberIds: ids, settings: { capacity: 5000, noticeMemberThreshold: 100_000 } });
    assert.equal(r.status, 201, JSON.stringify(r.body).slice(0, 300));
    assert.equal(r.body.group.memberCount, 2000);
    const joined = (await notices(api, r.body.group.id)).find((m: any) => m.body.kind === 'group.members_joined');
    assert.ok(joined, 'the join is announced below the threshold');
    assert.deepEqual(joined.body.data.userIds, ids.slice(0, 20));
    assert.equal(joined.body.data.count, 1999);
    assert.equal(joined.body.data.more, 1979);
    const page = await api.get(`/v1/groups/${r.body.group.id}/members`, { query: { limit: 200 } });
    assert.equal(page.body.total, 2000);
    assert.equal(page.body.items.length, 200);
    // Every newcomer starts having read up to the join (positions come from the event, not the capped notice).
    const last = client(s.url, (await s.core.tokens.issue({ appId: s.appId, kind: 'user', userId: ids[1998] })).token);
    const state = await last.get(`/v1/groups/${r.body.group.id}/read`);
    assert.equal(state.status, 200, state.text);
    assert.equal(state.body.readSeq, joined.seq);
  });

  test('above the threshold joins and leaves record no notice and reach only the people concerned and the staff', async () => {
    const [owner, admin, member, newcomer] = [await makeUser(s), await makeUser(s), await makeUser(s), await makeUser(s)];
    const api = client(s.url, owner.token);
    const created = await api.post('/v1/groups', { name: 'hall', memberIds: [admin.id, member.id], settings: { noticeMemberThreshold: 2 } });
    assert.equal(created.status, 201);
    const groupId = created.body.group.id as number;
    assert.equal((await api.post(`/v1/groups/${groupId}/admins`, { userIds: [admin.id] })).status, 200);
    const before = (await notices(api, groupId)).length;
    const [wsAdmin, wsMember, wsNew] = await Promise.all([online(s.url, admin.token), online(s.url, member.token), online(s.url, newcomer.token)]);
    try {
      assert.equal((await api.post(`/v1/groups/${groupId}/members`, { userIds: [newcomer.id] })).status, 200);
      assert.equal((await wsAdmin.next('event')).event.type, 'group.members_joined', 'the staff hear of it');
      assert.equal((await wsNew.next('event')).event.type, 'group.members_joined', 'the newcomer hears of it');
      // The member hears the next group-wide thing first: the join never reached them.
      assert.equal((await api.post(`/v1/groups/${groupId}/messages`, text('welcome'))).status, 201);
      // (Presence frames are not group-wide things: the others in the group came online beside the member.)
      let f = await wsMember.next();
      while (f.type === 'presence') f = await wsMember.next();
      assert.equal(f.type, 'message', JSON.stringify(f));
      assert.equal(f.message.body.text, 'welcome');
      assert.equal((await client(s.url, newcomer.token).post(`/v1/groups/${groupId}/leave`)).status, 204);
      assert.equal((await wsAdmin.next('event')).event.type, 'group.member_left');
      assert.equal((await notices(api, groupId)).length, before, 'no join or leave notice in the history');
    } finally {
      await Promise.all([wsAdmin.close(), wsMember.close(), wsNew.close()]);
    }
  });

  test('broadcast: only the owner and admins post; members react only when allowed', async () => {
    const [owner, admin, member] = [await makeUser(s), await makeUser(s), await makeUser(s)];
    const api = client(s.url, owner.token);
    const created = await api.post('/v1/groups', { name: 'news', memberIds: [admin.id, member.id], settings: { broadcast: true, membersMayReact: false } });
    assert.equal(created.status, 201);
    assert.equal(created.body.group.broadcast, true);
    const groupId = created.body.group.id as number;
    await api.post(`/v1/groups/${groupId}/admins`, { userIds: [admin.id] });
    const refused = await client(s.url, member.token).post(`/v1/groups/${groupId}/messages`, text('may I?'));
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'group_broadcast_only');
    assert.equal((await client(s.url, admin.token).post(`/v1/groups/${groupId}/messages`, text('admin news'))).status, 201);
    assert.equal((await api.post(`/v1/groups/${groupId}/messages`, text('owner news'))).status, 201);
    // The reusable reaction rule (GroupGate.assertCanReact).
    await assert.rejects(s.core.groupGate.assertCanReact(s.appId, groupId, member.id), { code: 'group_broadcast_only' });
    assert.equal(await s.core.groupGate.assertCanReact(s.appId, groupId, admin.id), 'admin');
    assert.equal((await api.patch(`/v1/groups/${groupId}/settings`, { membersMayReact: true })).status, 200);
    assert.equal(await s.core.groupGate.assertCanReact(s.appId, groupId, member.id), 'member');
    assert.equal((await api.patch(`/v1/groups/${groupId}/settings`, { broadcast: false })).status, 200);
    assert.equal((await client(s.url, member.token).post(`/v1/groups/${groupId}/messages`, text('finally'))).status, 201);
    const texts = (await api.get(`/v1/groups/${groupId}/messages`)).body.items.filter((m: any) => m.type === 'text').map((m: any) => m.body.text);
    assert.deepEqual(texts.sort(), ['admin news', 'finally', 'owner news']);
  });

  test('slow mode: a member waits between messages (told when, with Retry-After); staff are exempt', async () => {
    const [owner, member] = [await makeUser(s), await makeUser(s)];
    const api = client(s.url, owner.token);
    const created = await api.post('/v1/groups', { name: 'calm', memberIds: [member.id], settings: { slowModeSeconds: 30 } });
    assert.equal(created.status, 201);
    const groupId = created.body.group.id as number;
    const m = client(s.url, member.token);
    assert.equal((await m.post(`/v1/groups/${groupId}/messages`, text('one'))).status, 201);
    s.clock!.advance(10_000);
    const early = await m.post(`/v1/groups/${groupId}/messages`, text('two'));
    assert.equal(early.status, 429);
    assert.equal(early.body.error.code, 'slow_mode');
    assert.equal(early.body.error.details.retryAfterMs, 20_000);
    assert.equal(early.headers.get('retry-after'), '20');
    for (let i = 0; i < 3; i++) assert.equal((await api.post(`/v1/groups/${groupId}/messages`, text(`owner ${i}`))).status, 201, 'the owner is exempt');
    s.clock!.advance(20_000);
    assert.equal((await m.post(`/v1/groups/${groupId}/messages`, text('three'))).status, 201);
    // Ten sends at once from one member: exactly one passes (the turn is one conditional update in the store).
    s.clock!.advance(30_000);
    const burst = await Promise.all(Array.from({ length: 10 }, (_, i) => m.post(`/v1/groups/${groupId}/messages`, text(`burst ${i}`))));
    assert.deepEqual(burst.map((r) => r.status).sort(), [201, ...Array(9).fill(429)]);
    assert.equal((await api.patch(`/v1/groups/${groupId}/settings`, { slowModeSeconds: 86_401 })).status, 400);
  });

  test('"how many read this" and "who read this", paged', async () => {
    const owner = await makeUser(s);
    const readers = await Promise.all(Array.from({ length: 7 }, () => makeUser(s)));
    const api = client(s.url, owner.token);
    const created = await api.post('/v1/groups', { name: 'rr', memberIds: readers.map((r) => r.id), settings: { readReceipts: true } });
    const groupId = created.body.group.id as number;
    const sent = await api.post(`/v1/groups/${groupId}/messages`, text('read me'));
    // Five readers report at once: their positions are coalesced, each answered once stored.
    const marks = await Promise.all(readers.slice(0, 5).map((r) => client(s.url, r.token).put(`/v1/groups/${groupId}/read`, { seq: sent.body.seq })));
    for (const mk of marks) assert.equal(mk.body.readSeq, sent.body.seq, mk.text);
    const reads = await api.get(`/v1/messages/${sent.body.id}/reads`);
    assert.deepEqual(reads.body, { messageId: sent.body.id, readCount: 5, unreadCount: 2 });
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await api.get(`/v1/messages/${sent.body.id}/readers`, { query: { limit: 2, ...(cursor ? { cursor } : {}) } });
      assert.equal(page.status, 200, page.text);
      seen.push(...page.body.items.map((i: any) => i.userId));
      cursor = page.body.next;
    } while (cursor);
    assert.deepEqual(seen.sort(), readers.slice(0, 5).map((r) => r.id).sort());
    const bad = await api.get(`/v1/messages/${sent.body.id}/readers`, { query: { cursor: 'nonsense' } });
    assert.equal(bad.status, 400);
  });
});
