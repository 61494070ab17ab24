// The conversation list (GET /v1/conversations, src/core/messages/conversation-list.ts)
// for a user in many conversations: every field read in batches must still be
// each conversation's own — name and avatar (the group's or the peer's),
// unread and mention counts, the last message — and paging with `before`
// visits every conversation once, newest activity first.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { client } from '../../support/http.ts';
import { makeUser } from '../../support/fixtures.ts';

const text = (t: string, extra: Record<string, unknown> = {}) => ({ type: 'text', body: { text: t, ...extra } });

describe('the conversation list of a user in many conversations', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(() => s.stop());

  test('names, avatars, counts and last messages are each conversation’s own; pages visit every one once', async () => {
    const me = await makeUser(s);
    const api = client(s.url, me.token);
    // 24 private chats (peers with names and avatars) and 6 groups, interleaved in time.
    const expected = new Map<number, { name: string; avatar: string; unread: number; mentions: number; last: string }>();
    for (let i = 0; i < 30; i++) {
      if (i % 5 === 4) {
        const owner = await makeUser(s);
        const co = client(s.url, owner.token);
        const g = (await co.post('/v1/groups', { name: `group ${i}`, avatar: `https://img.example/g${i}.png`, memberIds: [me.id], settings: { historyVisible: i % 2 === 0 } })).body.group;
        await co.post(`/v1/groups/${g.id}/messages`, text(`hello group ${i}`, { mentions: [me.id] }));
        await co.post(`/v1/groups/${g.id}/messages`, text(`last in group ${i}`, i % 3 === 0 ? { mentionAll: true } : {}));
        expected.set(g.id, { name: `group ${i}`, avatar: `https://img.example/g${i}.png`, unread: 2, mentions: i % 3 === 0 ? 2 : 1, last: `last in group ${i}` });
      } else {
        const peer = await s.core.users.create(s.appId, { handle: `peer${i}_${Math.random().toString(36).slice(2, 8)}`, displayName: `Peer ${i}`, avatar: `https://img.example/u${i}.png` });
        const { token } = await s.core.tokens.issue({ appId: s.appId, kind: 'user', userId: peer.id });
        const cp = client(s.url, token);
        for (let k = 0; k <= i % 3; k++) await cp.post(`/v1/users/${me.id}/messages`, text(`from ${i} #${k}`, k === 0 && i % 4 === 0 ? { mentions: [me.id] } : {}));
        // Some are answered (my own message is last and nothing counts as unread), some read.
        let unread = (i % 3) + 1;
        let last = `from ${i} #${i % 3}`;
        if (i % 7 === 0) {
          await api.post(`/v1/users/${peer.id}/messages`, text(`answer ${i}`));
          await api.put(`/v1/users/${peer.id}/read`, { seq: (i % 3) + 2 });
          unread = 0;
          last = `answer ${i}`;
        }
        expected.set(peer.id, { name: `Peer ${i}`, avatar: `https://img.example/u${i}.png`, unread, mentions: unread > 0 && i % 4 === 0 ? 1 : 0, last });
      }
    }

    const seen: any[] = [];
    let beforePos: number | undefined;
    for (let page = 0; page < 10; page++) {
      const r = await api.get('/v1/conversations', { query: { limit: 7, ...(beforePos ? { before: beforePos } : {}) } });
      assert.equal(r.status, 200, r.text);
      seen.push(...r.body.items);
      if (r.body.next === undefined) break;
      assert.equal(r.body.items.length, 7);
      beforePos = r.body.next;
    }
    assert.equal(seen.length, 30, 'every conversation once');
    assert.equal(new Set(seen.map((c) => c.id)).size, 30);
    const positions = seen.map((c) => c.lastPos);
    assert.deepEqual(positions, [...positions].sort((a, b) => b - a), 'newest activity first');
    for (const c of seen) {
      const want = expected.get(c.kind === 'group' ? c.groupId : c.peerId);
      assert.ok(want, JSON.stringify(c));
      assert.deepEqual(
        { name: c.name, avatar: c.avatar, unread: c.unread, mentions: c.mentions, last: c.lastMessage.body.text, lastSeq: c.lastMessage.seq },
        { name: want.name, avatar: want.avatar, unread: want.unread, mentions: want.mentions, last: want.last, lastSeq: c.lastSeq },
      );
      // The same counts as the conversation's own read state.
      const state = await api.get(c.kind === 'group' ? `/v1/groups/${c.groupId}/read` : `/v1/users/${c.peerId}/read`);
      assert.deepEqual({ unread: state.body.unread, mentions: state.body.mentions, readSeq: state.body.readSeq }, { unread: c.unread, mentions: c.mentions, readSeq: c.readSeq });
    }
    const bad = await api.get('/v1/conversations', { query: { before: 'soon' } });
    assert.equal(bad.status, 400);
  });
});
