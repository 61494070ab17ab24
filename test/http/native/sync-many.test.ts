// Sync and the conversation list find a user's conversations by one index
// range per way of being in one (src/store/repos/messages-conversations.ts):
// as the lower user id of a pair, as the higher, and through each group.
// Whatever way the user is in, sync and the list must return exactly that
// user's changes: none of other people's conversations of the same app, none
// of a group left, no history a group hides from newcomers, from position 0
// and from a position in the middle, each change once, in stream order.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { client } from '../../support/http.ts';
import { makeUser } from '../../support/fixtures.ts';

const text = (t: string) => ({ type: 'text', body: { text: t } });

describe('sync and the list of a user in conversations of every kind', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ manualClock: true });
  });
  after(() => s.stop());

  test('sync pages exactly the user’s own changes, from 0 and from the middle; the list names the same conversations', async () => {
    // Ids grow with creation: `lower` makes me the higher user id of our pair, `higher` the lower.
    const lower = await makeUser(s);
    const me = await makeUser(s);
    const higher = await makeUser(s);
    const [x, y] = [await makeUser(s), await makeUser(s)];
    const [cLower, cMe, cHigher, cx] = [lower, me, higher, x].map((u) => client(s.url, u.token));

    const group = async (owner: ReturnType<typeof client>, name: string, memberIds: number[], historyVisible = true) =>
      (await owner.post('/v1/groups', { name, memberIds, settings: { historyVisible } })).body.group.id as number;
    const joined = await group(cLower, 'joined', [me.id, higher.id]);
    const hiding = await group(cHigher, 'hiding', [lower.id], false);
    const left = await group(cx, 'left', [me.id]);
    const foreign = await group(cx, 'foreign', [y.id]);

    // Before any position is taken.
    await cLower.post(`/v1/users/${me.id}/messages`, text('lower 1'));
    await cMe.post(`/v1/users/${higher.id}/messages`, text('me to higher 1'));
    await cLower.post(`/v1/groups/${joined}/messages`, text('joined 1'));
    await cHigher.post(`/v1/groups/${hiding}/messages`, text('hiding before me'));
    await cx.post(`/v1/groups/${left}/messages`, text('left 1'));
    await cx.post(`/v1/users/${y.id}/messages`, text('x to y'));
    await cx.post(`/v1/groups/${foreign}/messages`, text('foreign 1'));
    await cLower.post(`/v1/users/${higher.id}/messages`, text('lower to higher'));
    s.clock!.advance(1000);
    assert.equal((await cHigher.post(`/v1/groups/${hiding}/members`, { userIds: [me.id] })).status, 200);
    s.clock!.advance(1000);
    assert.equal((await cMe.post(`/v1/groups/${left}/leave`)).status, 204);

    const syncAll = async (since: number) => {
      const texts: string[] = [];
      const positions: number[] = [];
      let position = since;
      for (let round = 0; round < 50; round++) {
        const r = await cMe.get('/v1/sync', { query: { since: position, limit: 2 } });
        assert.equal(r.status, 200, r.text);
        for (const m of r.body.items) {
          positions.push(m.pos);
          if (m.type === 'text') texts.push(m.body.text);
        }
        position = r.body.position;
        if (!r.body.more) return { texts, positions, position };
      }
      throw new Error('sync did not end');
    };

    const first = await syncAll(0);
    assert.deepEqual(first.texts, ['lower 1', 'me to higher 1', 'joined 1']);
    assert.deepEqual(first.positions, [...new Set(first.positions)].sort((a, b) => a - b), 'each change once, in stream order');

    // Changes after that position, one in each way of being in a conversation.
    await cHigher.post(`/v1/users/${me.id}/messages`, text('higher 2'));
    await cx.post(`/v1/groups/${left}/messages`, text('left 2'));
    await cMe.post(`/v1/users/${lower.id}/messages`, text('me to lower 2'));
    await cx.post(`/v1/users/${y.id}/messages`, text('x to y 2'));
    await cHigher.post(`/v1/groups/${hiding}/messages`, text('hiding 2'));
    await cHigher.post(`/v1/groups/${joined}/messages`, text('joined 2'));
    await cx.post(`/v1/groups/${foreign}/messages`, text('foreign 2'));
    const later = await syncAll(first.position);
    assert.deepEqual(later.texts, ['higher 2', 'me to lower 2', 'hiding 2', 'joined 2']);
    assert.ok(later.positions.every((p) => p > first.position));
    assert.deepEqual((await syncAll(later.position)).texts, [], 'nothing after the end');
    assert.deepEqual((await syncAll(0)).texts, [...first.texts, ...later.texts], 'from 0 again: everything once, in stream order');

    const list = (await cMe.get('/v1/conversations', { query: { limit: 2 } })).body;
    const rest = (await cMe.get('/v1/conversations', { query: { limit: 50, before: list.next } })).body;
    const named = [...list.items, ...rest.items].map((c: any) => (c.kind === 'group' ? `g:${c.groupId}` : `p:${c.peerId}`));
    assert.deepEqual(named, [`g:${joined}`, `g:${hiding}`, `p:${lower.id}`, `p:${higher.id}`], 'newest activity first, only mine');
  });
});

