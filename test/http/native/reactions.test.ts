// Reactions through HTTP and the WebSocket: counts and `me` per reader, the
// limits, who may react, revoke, and a second device that was offline
// converging through sync to the same counts.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { client } from '../../support/http.ts';
import { makeUser } from '../../support/fixtures.ts';
import { online } from '../../support/ws.ts';

const THUMBS = '👍';
const HEART = '❤️';
const at = (id: number, emoji: string) => `/v1/messages/${id}/reactions/${encodeURIComponent(emoji)}`;
const text = (t: string) => ({ type: 'text', body: { text: t } });
const counts = (m: any) => m.reactions.map((r: any) => [r.emoji, r.count, r.me]);

describe('native reactions', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ config: { reactionMaxEmoji: 4, reactionMaxPerUser: 2 } });
  });
  after(() => s.stop());

  async function group(members = 3) {
    const owner = await makeUser(s);
    const users = [];
    for (let i = 0; i < members; i++) users.push(await makeUser(s));
    const r = await client(s.url, owner.token).post('/v1/groups', { name: 'g', memberIds: users.map((u) => u.id) });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const sent = await client(s.url, users[0].token).post(`/v1/groups/${r.body.group.id}/messages`, text('react to me'));
    assert.equal(sent.status, 201);
    return { id: r.body.group.id as number, owner, users, message: sent.body };
  }

  test('counts are shared, `me` is per reader; adding twice or removing twice changes nothing; history shows the same', async () => {
    const g = await group();
    const [a, b, c] = g.users.map((u) => client(s.url, u.token));
    const m = g.message.id as number;
    const first = await a.put(at(m, THUMBS));
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.deepEqual(counts(first.body), [[THUMBS, 1, true]]);
    assert.equal(first.body.seq, g.message.seq, 'a reaction takes no seq');
    assert.ok(first.body.pos > g.message.pos, 'the message moved in the sync stream');
    assert.deepEqual(counts((await a.put(at(m, THUMBS))).body), [[THUMBS, 1, true]], 'idempotent');
    assert.deepEqual(counts((await b.put(at(m, THUMBS))).body), [[THUMBS, 2, true]]);
    assert.deepEqual(counts((await b.put(at(m, HEART))).body), [[THUMBS, 2, true], [HEART, 1, true]]);

    assert.deepEqual(counts((await c.get(`/v1/messages/${m}`)).body), [[THUMBS, 2, false], [HEART, 1, false]]);
    assert.deepEqual(counts((await a.get(`/v1/messages/${m}`)).body), [[THUMBS, 2, true], [HEART, 1, false]]);
    const history = await a.get(`/v1/groups/${g.id}/messages`);
    const item = history.body.items.find((x: any) => x.id === m);
    assert.deepEqual(counts(item), [[THUMBS, 2, true], [HEART, 1, false]]);
    assert.equal(history.body.lastSeq, g.message.seq, 'no new message was written');

    assert.deepEqual(counts((await b.delete(at(m, HEART))).body), [[THUMBS, 2, true]]);
    const again = await b.delete(at(m, HEART));
    assert.equal(again.status, 200);
    assert.deepEqual(counts(again.body), [[THUMBS, 2, true]]);
  });

  test('who reacted pages oldest first', async () => {
    const g = await group(3);
    const m = g.message.id as number;
    for (const u of g.users) assert.equal((await client(s.url, u.token).put(at(m, THUMBS))).status, 200);
    const owner = client(s.url, g.owner.token);
    const p1 = await owner.get(`${at(m, THUMBS)}?limit=2`);
    assert.equal(p1.status, 200, JSON.stringify(p1.body));
    assert.equal(p1.body.items.length, 2);
    assert.ok(p1.body.next);
    const p2 = await owner.get(`${at(m, THUMBS)}?limit=2&cursor=${p1.body.next}`);
    assert.equal(p2.body.next, undefined);
    assert.deepEqual([...p1.body.items, ...p2.body.items].map((x: any) => x.userId).sort(), g.users.map((u) => u.id).sort());
    assert.deepEqual((await owner.get(at(m, HEART))).body.items, []);
  });

  test('only one emoji per reaction: words, two emoji and blanks are refused', async () => {
    const g = await group(1);
    const a = client(s.url, g.users[0].token);
    for (const bad of ['a', 'ok', '👍👍', ' ', '1', '#', '→', 'é']) {
      const r = await a.put(at(g.message.id, bad));
      assert.equal(r.status, 400, `${bad}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.error.code, 'invalid_argument');
    }
    for (const good of ['👍🏽', '🇯🇵', '1️⃣', '👨‍👩‍👧']) {
      const r = await client(s.url, g.users[0].token).put(at(g.message.id, good));
      if (r.status === 409) continue; // the per-user limit (2) is reached; these only need to parse
      assert.equal(r.status, 200, `${good}: ${JSON.stringify(r.body)}`);
    }
  });

  test('limits: emoji per user, distinct emoji per message; refused with too_many_reactions and nothing stored', async () => {
    const g = await group(3);
    const [a, b, c] = g.users.map((u) => client(s.url, u.token));
    const m = g.message.id as number;
    assert.equal((await a.put(at(m, '😀'))).status, 200);
    assert.equal((await a.put(at(m, '😃'))).status, 200);
    const third = await a.put(at(m, '😄'));
    assert.equal(third.status, 409);
    assert.equal(third.body.error.code, 'too_many_reactions');
    assert.equal(third.body.error.details.scope, 'user');
    assert.equal((await b.put(at(m, '😁'))).status, 200);
    assert.equal((await b.put(at(m, '😆'))).status, 200);
    const fifth = await c.put(at(m, '🥹'));
    assert.equal(fifth.status, 409);
    assert.equal(fifth.body.error.details.scope, 'message');
    assert.equal((await c.put(at(m, '😀'))).status, 200, 'an emoji already there still counts up');
    const seen = await c.get(`/v1/messages/${m}`);
    assert.deepEqual(counts(seen.body), [['😀', 2, true], ['😃', 1, false], ['😁', 1, false], ['😆', 1, false]]);
  });

  test('concurrent reactions cannot pass the limits together', async () => {
    const g = await group(3);
    const m = g.message.id as number;
    const emoji = ['😀', '😃', '😄', '😁', '😆', '😅', '🤣', '😊'];
    const [a, b, c] = g.users.map((u) => client(s.url, u.token));
    // One user, eight emoji at once: exactly the per-user limit (2) pass.
    const mine = await Promise.all(emoji.map((e) => a.put(at(m, e))));
    assert.equal(mine.filter((r) => r.status === 200).length, 2, JSON.stringify(mine.map((r) => r.status)));
    assert.ok(mine.every((r) => r.status === 200 || r.body.error.code === 'too_many_reactions'));
    // Two more users racing with fresh emoji: the message never carries more than 4 distinct.
    const rest = emoji.filter((e) => !mine.some((r, i) => r.status === 200 && emoji[i] === e));
    await Promise.all([...rest.slice(0, 3).map((e) => b.put(at(m, e))), ...rest.slice(3, 6).map((e) => c.put(at(m, e)))]);
    const seen = (await a.get(`/v1/messages/${m}`)).body;
    assert.equal(seen.reactions.length, 4, JSON.stringify(seen.reactions));
  });

  test('only readers may react; a revoked message cannot be reacted to and loses its reactions', async () => {
    const g = await group(2);
    const m = g.message.id as number;
    const outsider = client(s.url, (await makeUser(s)).token);
    const refused = await outsider.put(at(m, THUMBS));
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'not_group_member');
    assert.equal((await client(s.url, g.users[1].token).put(at(m, THUMBS))).status, 200);
    assert.equal((await client(s.url, g.users[0].token).post(`/v1/messages/${m}/revoke`)).status, 200);
    const late = await client(s.url, g.users[1].token).put(at(m, HEART));
    assert.equal(late.status, 409);
    assert.equal(late.body.error.code, 'conflict');
    const seen = await client(s.url, g.owner.token).get(`/v1/messages/${m}`);
    assert.equal(seen.body.type, 'revoked');
    assert.deepEqual(seen.body.reactions, []);
    assert.equal((await client(s.url, g.users[1].token).put(`/v1/messages/987654321/reactions/${encodeURIComponent(THUMBS)}`)).status, 404);
  });

  test('private chats: both sides react; the peer hears it live; an offline second device converges through sync', async () => {
    const alice = await makeUser(s);
    const bob = await makeUser(s);
    const A = client(s.url, alice.token);
    const B = client(s.url, bob.token);
    const sent = await A.post(`/v1/users/${bob.id}/messages`, text('lunch?'));
    const m = sent.body.id as number;
    const before = (await B.get('/v1/sync')).body.position as number;

    const bobPhone = await online(s.url, bob.token);
    try {
      assert.equal((await A.put(at(m, THUMBS))).status, 200);
      const e = await bobPhone.next('event');
      assert.equal(e.event.type, 'message.reacted');
      assert.equal(e.event.messageId, m);
      assert.equal(e.event.userId, alice.id);
      assert.equal(e.event.added, true);
      assert.deepEqual(e.event.reactions, [{ emoji: THUMBS, count: 1 }]);
      assert.deepEqual(e.event.mine, [THUMBS]);
    } finally {
      await bobPhone.close();
    }
    assert.equal((await B.put(at(m, THUMBS))).status, 200);
    assert.equal((await B.put(at(m, HEART))).status, 200);
    assert.equal((await B.delete(at(m, HEART))).status, 200);

    // Bob's laptop was offline through all of it: one sync brings the message with Bob's view of it.
    const sync = await B.get(`/v1/sync?since=${before}`);
    assert.equal(sync.status, 200);
    const items = sync.body.items.filter((x: any) => x.id === m);
    assert.equal(items.length, 1, 'the message comes once, at its latest position');
    assert.deepEqual(counts(items[0]), [[THUMBS, 2, true]]);
    assert.deepEqual(counts((await A.get(`/v1/messages/${m}`)).body), [[THUMBS, 2, true]]);
    assert.deepEqual(counts((await B.get(`/v1/users/${alice.id}/messages`)).body.items[0]), [[THUMBS, 2, true]]);
  });
});
