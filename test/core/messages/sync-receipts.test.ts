// Sync (src/core/messages/sync.ts), read receipts (receipts.ts) and the
// revoke window (revoke.ts) on a real store with a manual clock: every change
// after a position in stream order, history a new member may not see left
// out, read positions that only move forward, and per-message read counts.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { codeOf, startTestCore, type TestCore } from '../../support/core.ts';

describe('sync, receipts and revoke', () => {
  let t: TestCore;
  before(async () => {
    t = await startTestCore({ settings: { messaging: { revokeWindowSeconds: 120 } } });
  });
  after(() => t.close());

  const text = (s: string) => ({ type: 'text', body: { text: s } });
  const texts = (items: { type: string; body: Record<string, unknown> }[]) => items.map((m) => (m.type === 'text' ? m.body.text : m.type));

  test('sync: every change after a position, across conversations, in stream order, paged', async () => {
    const [a, b, c] = await t.users(3);
    const { group } = await t.core.groups.lifecycle.create(t.as(a), { memberIds: [b] });
    const m = t.core.messages;
    await m.send(t.appId, a, { userId: b }, text('p1'));
    await m.send(t.appId, b, { groupId: group.id }, text('g1'));
    await m.send(t.appId, a, { userId: c }, text('not for b'));
    await m.send(t.appId, a, { userId: b }, text('p2'));
    const all = await m.sync(t.appId, b, {});
    assert.deepEqual(texts(all.items).filter((x) => x !== 'notice'), ['p1', 'g1', 'p2']);
    assert.equal(all.more, false);
    const positions = all.items.map((x) => x.pos);
    assert.deepEqual(positions, [...positions].sort((x, y) => x - y), 'stream order');
    // Paged: the same changes, two at a time, none twice, none missed.
    const seen: number[] = [];
    let since = 0;
    for (let i = 0; i < 10; i++) {
      const page = await m.sync(t.appId, b, { since, limit: 2 });
      seen.push(...page.items.map((x) => x.id));
      since = page.position;
      if (!page.more) break;
    }
    assert.deepEqual(seen, all.items.map((x) => x.id));
    assert.deepEqual((await m.sync(t.appId, b, { since: all.position })).items, []);
    assert.equal(await codeOf(m.sync(t.appId, b, { since: -1 })), 'invalid_argument');
  });

  test('sync: a revoke is a new change at a later position; the message comes back as revoked', async () => {
    const [a, b] = await t.users(2);
    const sent = await t.core.messages.send(t.appId, a, { userId: b }, text('oops'));
    const before = await t.core.messages.sync(t.appId, b, {});
    await t.core.messages.revoke(t.appId, a, sent.message.id);
    const changes = await t.core.messages.sync(t.appId, b, { since: before.position });
    assert.deepEqual(changes.items.map((x) => [x.id, x.type]), [[sent.message.id, 'revoked']]);
    assert.ok(changes.position > before.position);
  });

  test('the revoke window: the sender may revoke until it passes, never someone else\'s private message', async () => {
    const [a, b] = await t.users(2);
    const first = await t.core.messages.send(t.appId, a, { userId: b }, text('one'));
    const second = await t.core.messages.send(t.appId, a, { userId: b }, text('two'));
    assert.equal(await codeOf(t.core.messages.revoke(t.appId, b, first.message.id)), 'forbidden');
    t.clock.advance(120_000);
    assert.equal((await t.core.messages.revoke(t.appId, a, first.message.id)).type, 'revoked');
    t.clock.advance(1);
    assert.equal(await codeOf(t.core.messages.revoke(t.appId, a, second.message.id)), 'revoke_window_passed');
  });

  test('sync: a new member of a group that hides history gets only what came after they joined', async () => {
    const [a, late] = await t.users(2);
    const { group } = await t.core.groups.lifecycle.create(t.as(a), { settings: { historyVisible: false } });
    await t.core.messages.send(t.appId, a, { groupId: group.id }, text('before'));
    t.clock.advance(1);
    await t.core.groups.members.add(t.as(a), group.id, [late]);
    t.clock.advance(1);
    await t.core.messages.send(t.appId, a, { groupId: group.id }, text('after'));
    assert.deepEqual(texts((await t.core.messages.sync(t.appId, late, {})).items).filter((x) => x !== 'notice'), ['after']);
  });

  test('read positions only move forward; unread counts follow; a position past the end is refused', async () => {
    const [a, b] = await t.users(2);
    for (const s of ['1', '2', '3']) await t.core.messages.send(t.appId, a, { userId: b }, text(s));
    const target = { userId: a };
    assert.deepEqual(await t.core.messages.readState(t.appId, b, target).then((r) => [r.readSeq, r.lastSeq, r.unread]), [0, 3, 3]);
    assert.deepEqual(await t.core.messages.markRead(t.appId, b, target, 2).then((r) => [r.readSeq, r.unread]), [2, 1]);
    assert.deepEqual(await t.core.messages.markRead(t.appId, b, target, 1).then((r) => [r.readSeq, r.unread]), [2, 1], 'never backwards');
    assert.equal(await codeOf(t.core.messages.markRead(t.appId, b, target, 4)), 'invalid_argument');
    assert.equal(await codeOf(t.core.messages.markRead(t.appId, b, target, -1)), 'invalid_argument');
  });

  test('receipts: private read flags; group counts only when the group shows receipts; who hears of a read', async () => {
    const [a, b, c, d] = await t.users(4);
    const p = await t.core.messages.send(t.appId, a, { userId: b }, text('hi'));
    assert.equal((await t.core.messages.messageReads(t.appId, a, p.message.id)).read, false);
    t.events.length = 0;
    await t.core.messages.markRead(t.appId, b, { userId: a }, p.message.seq);
    assert.equal((await t.core.messages.messageReads(t.appId, a, p.message.id)).read, true);
    assert.deepEqual(t.events.filter((e) => e.type === 'conversation.read').map((e) => e.audience), [{ users: [Math.min(a, b), Math.max(a, b)] }]);

    const withReceipts = (await t.core.groups.lifecycle.create(t.as(a), { memberIds: [b, c, d], settings: { readReceipts: true } })).group;
    const g = await t.core.messages.send(t.appId, a, { groupId: withReceipts.id }, text('all'));
    await t.core.messages.markRead(t.appId, b, { groupId: withReceipts.id }, g.message.seq);
    await t.core.messages.markRead(t.appId, c, { groupId: withReceipts.id }, g.message.seq);
    const reads = await t.core.messages.messageReads(t.appId, a, g.message.id);
    assert.deepEqual([reads.readCount, reads.unreadCount], [2, 1]);

    const without = (await t.core.groups.lifecycle.create(t.as(a), { memberIds: [b], settings: { readReceipts: false } })).group;
    const h = await t.core.messages.send(t.appId, a, { groupId: without.id }, text('quiet'));
    t.events.length = 0;
    await t.core.messages.markRead(t.appId, b, { groupId: without.id }, h.message.seq);
    assert.deepEqual(t.events.filter((e) => e.type === 'conversation.read').map((e) => e.audience), [{ users: [b] }], 'only the reader hears of it');
    assert.equal(await codeOf(t.core.messages.messageReads(t.appId, a, h.message.id)), 'forbidden');
  });
});
