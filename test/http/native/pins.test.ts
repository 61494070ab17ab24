// Pins through HTTP and the WebSocket: who may pin (group staff; either side
// of a private chat), the pinned lists, notices and live events, the limit,
// revoke unpinning, and an offline device converging through sync.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { client } from '../../support/http.ts';
import { makeUser } from '../../support/fixtures.ts';
import { online } from '../../support/ws.ts';

const text = (t: string) => ({ type: 'text', body: { text: t } });

describe('native pins', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ config: { pinMax: 2 } });
  });
  after(() => s.stop());

  async function group() {
    const owner = await makeUser(s);
    const admin = await makeUser(s);
    const member = await makeUser(s);
    const O = client(s.url, owner.token);
    const r = await O.post('/v1/groups', { name: 'g', memberIds: [admin.id, member.id] });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const id = r.body.group.id as number;
    assert.equal((await O.post(`/v1/groups/${id}/admins`, { userIds: [admin.id] })).status, 200);
    const say = async (t: string) => (await client(s.url, member.token).post(`/v1/groups/${id}/messages`, text(t))).body;
    return { id, owner, admin, member, O, A: client(s.url, admin.token), M: client(s.url, member.token), say };
  }

  test('in a group the owner and admins pin, members may not; the list is newest pin first; notices and events tell everyone', async () => {
    const g = await group();
    const m1 = await g.say('first');
    const m2 = await g.say('second');
    const refused = await g.M.put(`/v1/messages/${m1.id}/pin`);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'group_admin_required');

    const memberPhone = await online(s.url, g.member.token);
    try {
      const pinned = await g.A.put(`/v1/messages/${m1.id}/pin`);
      assert.equal(pinned.status, 200, JSON.stringify(pinned.body));
      assert.equal(pinned.body.pinned.by, g.admin.id);
      assert.equal(pinned.body.seq, m1.seq, 'a pin takes no seq of the message');
      const e = await memberPhone.next('event');
      assert.equal(e.event.type, 'message.pinned');
      assert.equal(e.event.messageId, m1.id);
      assert.equal(e.event.actorId, g.admin.id);
      assert.equal(e.event.message.pinned.by, g.admin.id);
      const notice = await memberPhone.next('message');
      assert.equal(notice.message.type, 'notice');
      assert.equal(notice.message.body.kind, 'message.pinned');
      assert.equal(notice.message.body.data.messageId, m1.id);
      assert.equal(notice.message.body.data.actorId, g.admin.id);
    } finally {
      await memberPhone.close();
    }
    assert.equal((await g.A.put(`/v1/messages/${m1.id}/pin`)).status, 200, 'idempotent');
    assert.equal((await g.O.put(`/v1/messages/${m2.id}/pin`)).status, 200);

    const list = await g.M.get(`/v1/groups/${g.id}/pins`);
    assert.equal(list.status, 200, JSON.stringify(list.body));
    assert.deepEqual(list.body.items.map((p: any) => [p.message.id, p.pinnedBy]), [[m2.id, g.owner.id], [m1.id, g.admin.id]]);
    assert.equal(list.body.items[0].message.body.text, 'second');
    const page = await g.M.get(`/v1/groups/${g.id}/pins?limit=1`);
    assert.deepEqual(page.body.items.map((p: any) => p.message.id), [m2.id]);
    const rest = await g.M.get(`/v1/groups/${g.id}/pins?limit=1&cursor=${page.body.next}`);
    assert.deepEqual(rest.body.items.map((p: any) => p.message.id), [m1.id]);
    assert.equal(rest.body.next, undefined);

    const notices = (await g.M.get(`/v1/groups/${g.id}/messages`)).body.items.filter((m: any) => m.type === 'notice' && String(m.body.kind).startsWith('message.'));
    assert.equal(notices.length, 2, 'one notice per pin that changed something');

    const outsider = client(s.url, (await makeUser(s)).token);
    assert.equal((await outsider.get(`/v1/groups/${g.id}/pins`)).status, 403);
    assert.equal((await outsider.put(`/v1/messages/${m1.id}/pin`)).status, 403);
  });

  test('unpin: staff only; the message and the list lose it; a notice and an event say so', async () => {
    const g = await group();
    const m = await g.say('pin me');
    assert.equal((await g.O.put(`/v1/messages/${m.id}/pin`)).status, 200);
    assert.equal((await g.M.delete(`/v1/messages/${m.id}/pin`)).status, 403);
    const events: any[] = [];
    const off = s.core.events.on((e) => events.push(e));
    const r = await g.A.delete(`/v1/messages/${m.id}/pin`);
    off();
    assert.equal(r.status, 200);
    assert.equal(r.body.pinned, null);
    assert.deepEqual(events.filter((e) => e.type === 'message.unpinned').map((e) => [e.messageId, e.actorId, e.reason]), [[m.id, g.admin.id, 'unpinned']]);
    assert.equal(events.filter((e) => e.type === 'message.sent' && e.message.body.kind === 'message.unpinned').length, 1);
    assert.deepEqual((await g.M.get(`/v1/groups/${g.id}/pins`)).body.items, []);
    assert.equal((await g.M.get(`/v1/messages/${m.id}`)).body.pinned, null);
    assert.equal((await g.A.delete(`/v1/messages/${m.id}/pin`)).status, 200, 'idempotent');
  });

  test('a member offline while the group pinned converges through sync: the message with its pin, and the notice', async () => {
    const g = await group();
    const m = await g.say('meeting at 10');
    const since = (await g.M.get('/v1/sync')).body.position as number;
    assert.equal((await g.O.put(`/v1/messages/${m.id}/pin`)).status, 200);
    const sync = await g.M.get(`/v1/sync?since=${since}`);
    const again = sync.body.items.find((x: any) => x.id === m.id);
    assert.equal(again.pinned.by, g.owner.id);
    assert.equal(again.seq, m.seq);
    assert.ok(sync.body.items.some((x: any) => x.type === 'notice' && x.body.kind === 'message.pinned' && x.body.data.messageId === m.id));
  });

  test('the pin limit per conversation is refused with too_many_pins', async () => {
    const g = await group();
    const ms = [await g.say('a'), await g.say('b'), await g.say('c')];
    assert.equal((await g.O.put(`/v1/messages/${ms[0].id}/pin`)).status, 200);
    assert.equal((await g.O.put(`/v1/messages/${ms[1].id}/pin`)).status, 200);
    const third = await g.O.put(`/v1/messages/${ms[2].id}/pin`);
    assert.equal(third.status, 409);
    assert.equal(third.body.error.code, 'too_many_pins');
    assert.equal((await g.O.get(`/v1/groups/${g.id}/pins`)).body.items.length, 2);
    assert.equal((await g.O.get(`/v1/messages/${ms[2].id}`)).body.pinned, null, 'nothing half-applied');
  });

  test('revoking a pinned message unpins it; a revoked message cannot be pinned', async () => {
    const g = await group();
    const m = await g.say('oops');
    assert.equal((await g.O.put(`/v1/messages/${m.id}/pin`)).status, 200);
    const events: any[] = [];
    const off = s.core.events.on((e) => events.push(e));
    assert.equal((await g.M.post(`/v1/messages/${m.id}/revoke`)).status, 200);
    off();
    assert.deepEqual(events.filter((e) => e.type === 'message.unpinned').map((e) => [e.messageId, e.reason]), [[m.id, 'revoked']]);
    assert.deepEqual((await g.O.get(`/v1/groups/${g.id}/pins`)).body.items, []);
    const again = await g.O.put(`/v1/messages/${m.id}/pin`);
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'conflict');
  });

  test('private chats: either side pins and unpins; both see the list; an offline device converges through sync', async () => {
    const alice = await makeUser(s);
    const bob = await makeUser(s);
    const A = client(s.url, alice.token);
    const B = client(s.url, bob.token);
    const m1 = (await A.post(`/v1/users/${bob.id}/messages`, text('address: 1 Main St'))).body;
    const m2 = (await B.post(`/v1/users/${alice.id}/messages`, text('door code 4711'))).body;
    const since = (await A.get('/v1/sync')).body.position as number;

    assert.equal((await B.put(`/v1/messages/${m1.id}/pin`)).status, 200);
    assert.equal((await A.put(`/v1/messages/${m2.id}/pin`)).status, 200);
    assert.deepEqual((await A.get(`/v1/users/${bob.id}/pins`)).body.items.map((p: any) => p.message.id), [m2.id, m1.id]);
    assert.deepEqual((await B.get(`/v1/users/${alice.id}/pins`)).body.items.map((p: any) => p.message.id), [m2.id, m1.id]);
    assert.equal((await A.delete(`/v1/messages/${m1.id}/pin`)).status, 200);

    // Alice's second device was offline: sync carries both messages at their latest state, no notice in a private chat.
    const sync = await A.get(`/v1/sync?since=${since}`);
    const byId = new Map(sync.body.items.map((x: any) => [x.id, x]));
    assert.equal(sync.body.items.length, 2, JSON.stringify(sync.body.items));
    assert.equal((byId.get(m1.id) as any).pinned, null);
    assert.equal((byId.get(m2.id) as any).pinned.by, alice.id);

    const stranger = client(s.url, (await makeUser(s)).token);
    assert.equal((await stranger.put(`/v1/messages/${m1.id}/pin`)).status, 404);
  });
});
