// Sync pages of a history spread unevenly over many conversations
// (src/store/repos/stream-pages.ts): bursts in one conversation, round-robin
// stretches, conversations with a single change, other people's chats in
// between, revokes that move a message to a later position. Paged from 0 with
// small limits, every change must come exactly once, in stream order, with
// `more` and `position` as sync.ts says; a tail (syncTail) must be the newest
// changes; the repository's read must equal the plain answer for any range,
// limit and direction. On PostgreSQL, what a page reads from `messages` is
// bounded by the page, not by the history after it.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Appendable } from '../../../src/core/messages/ports.ts';
import type { Engine } from '../../../src/store/engine.ts';
import { startTestCore, type TestCore } from '../../support/core.ts';
import { watchRowsRead } from '../../support/rows-read.ts';

describe('sync of a long history over many conversations', () => {
  let t: TestCore;
  let engine: Engine;
  let me: number;
  const mine: number[] = [];
  /** Every change of mine as [id, pos], in stream order: the plain answer. */
  let expected: [number, number][] = [];

  before(async () => {
    t = await startTestCore({ engine: (e) => (engine = e) });
    const [self, ...peers] = await t.users(9);
    me = self;
    const m = t.core.messages;
    const text = (s: string) => ({ type: 'text', body: { text: s } });
    // Conversations: six private chats, one group, and a chat of two other people.
    const convs: { id: number; from: number }[] = [];
    for (const peer of peers.slice(0, 6)) convs.push({ id: (await m.send(t.appId, peer, { userId: me }, text('hi'))).message.conversationId, from: peer });
    const { group } = await t.core.groups.lifecycle.create(t.as(peers[0]), { memberIds: [me, peers[1]] });
    convs.push({ id: (await m.send(t.appId, peers[1], { groupId: group.id }, text('hi all'))).message.conversationId, from: peers[1] });
    const other = (await m.send(t.appId, peers[6], { userId: peers[7] }, text('not mine'))).message.conversationId;
    mine.push(...convs.map((c) => c.id));

    const items: Appendable[] = [];
    const add = (conversationId: number, senderId: number) =>
      items.push({ id: t.core.ids.next(), appId: t.appId, conversationId, senderId, clientId: null, type: 'text', body: { text: `m${items.length}` }, ext: null, createdAt: t.clock.now() });
    for (let i = 0; i < 150; i++) add(convs[0].id, convs[0].from); // a burst in one conversation
    for (let round = 0; round < 25; round++) for (const c of convs) add(c.id, c.from); // round-robin
    for (let i = 0; i < 40; i++) add(other, peers[6]); // other people's chat
    add(convs[5].id, convs[5].from); // a single change
    for (let i = 0; i < 60; i++) add(convs[6].id, convs[6].from); // a burst in the group
    for (let i = 0; i < 30; i++) add(convs[i % 2].id, convs[i % 2].from); // two conversations alternating
    await t.core.store.transaction((tx) => tx.messages.append(items));
    // Revokes move early messages to the end of the stream.
    for (const item of [items[3], items[160], items[400]]) await m.revoke(t.appId, item.senderId as number, item.id);
    await m.send(t.appId, peers[2], { userId: me }, text('last'));

    const rows = await engine.db.selectFrom('messages').select(['id', 'pos']).where('conversation_id', 'in', mine).orderBy('pos').execute();
    expected = rows.map((r) => [Number(r.id), Number(r.pos)]);
    assert.ok(expected.length > 400);
  });
  after(() => t.close());

  test('paged from 0 with small limits: every change once, in stream order; more and position as promised', async () => {
    for (const limit of [1, 3, 7, 50, 1000]) {
      const seen: [number, number][] = [];
      let since = 0;
      for (let round = 0; ; round++) {
        assert.ok(round <= expected.length, `limit ${limit}: sync did not end`);
        const page = await t.core.messages.sync(t.appId, me, { since, limit });
        assert.ok(page.items.length <= limit);
        seen.push(...page.items.map((x): [number, number] => [x.id, x.pos]));
        assert.equal(page.position, page.items.length ? page.items[page.items.length - 1].pos : since);
        since = page.position;
        assert.equal(page.more, seen.length < expected.length, `limit ${limit}: more after ${seen.length}`);
        if (!page.more) break;
      }
      assert.deepEqual(seen, expected, `limit ${limit}`);
    }
  });

  test('from the middle, and the tail: the changes after the position, the newest for a tail', async () => {
    const since = expected[Math.floor(expected.length / 2)][1];
    const after = expected.filter(([, pos]) => pos > since);
    const page = await t.core.messages.sync(t.appId, me, { since, limit: 40 });
    assert.deepEqual(page.items.map((x) => x.id), after.slice(0, 40).map(([id]) => id));
    for (const limit of [1, 5, 64, after.length, after.length + 1]) {
      const tail = await t.core.messages.syncTail(t.appId, me, since, limit);
      const want = after.slice(Math.max(0, after.length - limit));
      assert.deepEqual(tail.items.map((x) => x.id), want.map(([id]) => id), `tail of ${limit}`);
      assert.equal(tail.skipped, after.length > limit);
      assert.equal(tail.first, want[0][1]);
      assert.equal(tail.position, want[want.length - 1][1]);
    }
  });

  test('the repository read equals the plain answer for any range, limit and direction', async () => {
    const head = await t.core.store.messages.streamHead();
    const positions = [0, ...expected.map(([, pos]) => pos)];
    let random = 7;
    const next = (n: number) => (random = (random * 48271) % 2147483647) % n;
    for (let i = 0; i < 60; i++) {
      const pos = positions[next(positions.length)];
      const upTo = Math.max(pos, positions[next(positions.length)], i % 3 === 0 ? head : 0);
      const limit = 1 + next(i % 2 ? 10 : 300);
      for (const order of ['asc', 'desc'] as const) {
        const inRange = expected.filter(([, p]) => p > pos && p <= upTo);
        const want = order === 'asc' ? inRange.slice(0, limit) : inRange.reverse().slice(0, limit);
        const got = await t.core.store.messages.changedSince(mine, pos, upTo, limit, order);
        assert.deepEqual(got.map((r) => [r.id, r.pos]), want, `(${pos}, ${upTo}] limit ${limit} ${order}`);
      }
    }
  });

  test('PostgreSQL: a page reads from messages in proportion to the page, wherever it starts', { skip: !process.env.PARLEY_TEST_DATABASE_URL && 'PostgreSQL only' }, async () => {
    const watch = watchRowsRead('messages');
    try {
      const limit = 5;
      for (const since of [0, expected[Math.floor(expected.length / 2)][1]]) {
        watch.reset();
        const page = await t.core.messages.sync(t.appId, me, { since, limit });
        assert.equal(page.items.length, limit);
        const read = watch.perStatement.reduce((a, b) => a + b, 0);
        // Each capped read takes about 2·(limit + 1) rows plus one per conversation;
        // a burst may need a few reads. The whole history is over 400 rows.
        assert.ok(read <= 8 * (limit + 1) + 4 * mine.length, `from ${since}: ${read} rows read in ${watch.perStatement.length} statements`);
      }
    } finally {
      watch.close();
    }
  });
});
