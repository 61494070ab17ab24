// The gate cache in front of the group rules: an answer computed before an
// invalidation never lands in the cache after it (a check that read "member"
// just before a kick must not let the kicked member send until the entry
// expires), and the cache stays bounded by evicting the least recently used
// entries rather than emptying itself, with a per-group index that follows.
// Deterministic: the gate's answer is held with a deferred promise.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../../src/core/clock.ts';
import { fail } from '../../../src/core/errors.ts';
import { EventHub } from '../../../src/core/events.ts';
import type { GroupGate, GroupReadAccess, GroupRole, SendStanding } from '../../../src/core/groups/gate.ts';
import { CachedGroupGate } from '../../../src/core/messages/gate-cache.ts';
import { GroupAnswers } from '../../../src/core/messages/group-answers.ts';

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** A gate whose answers the test hands out one by one; counts how often it is asked. */
class HeldGate implements GroupGate {
  asked = 0;
  readonly answers: (() => Promise<GroupRole>)[] = [];
  assertCanSend(): Promise<GroupRole> {
    this.asked++;
    const next = this.answers.shift();
    if (!next) throw new Error('the test gave no answer');
    return next();
  }
  standing(): Promise<SendStanding> {
    return this.assertCanSend().then((role) => ({ role, broadcast: false, membersMayReact: true, slowModeSeconds: 0 }));
  }
  assertCanPost(): Promise<GroupRole> {
    return this.assertCanSend();
  }
  assertCanReact(): Promise<GroupRole> {
    return this.assertCanSend();
  }
  takeSlowModeTurn(): Promise<void> {
    return Promise.resolve();
  }
  readAccess(): Promise<GroupReadAccess> {
    return this.assertCanSend().then((role) => ({ role, visibleSinceMs: 0, historyVisible: true, readReceipts: false }));
  }
  groupIdsOf(): Promise<number[]> {
    return Promise.resolve([]);
  }
  membershipsOf(): Promise<{ groupId: number; joinedAt: number }[]> {
    return Promise.resolve([]);
  }
  memberCount(): Promise<number> {
    return Promise.resolve(0);
  }
}

const kicked = () => Promise.reject(fail('not_group_member', 'not a member'));

for (const how of ['the group', 'everything'] as const) {
  test(`an "allowed" computed before an invalidation of ${how} is not stored after it`, async () => {
    const gate = new HeldGate();
    const cache = new CachedGroupGate(gate, new ManualClock(), new EventHub(() => {}), 60_000);
    const held = deferred<GroupRole>();
    gate.answers.push(() => held.promise);
    const check = cache.assertCanSend(1, 42, 7);
    // The kick commits and drops the group while the check is still reading the store.
    if (how === 'the group') cache.forgetGroup(42);
    else cache.forgetAll();
    held.resolve('member');
    assert.equal(await check, 'member', 'the check that started before answers what it read');
    gate.answers.push(kicked);
    await assert.rejects(cache.assertCanSend(1, 42, 7), { code: 'not_group_member' });
    assert.equal(gate.asked, 2, 'the next check asked the gate again');
  });
}

test('an invalidation of another group does not keep an answer out, and a stored answer is served from the cache', async () => {
  const gate = new HeldGate();
  const cache = new CachedGroupGate(gate, new ManualClock(), new EventHub(() => {}), 60_000);
  const held = deferred<GroupRole>();
  gate.answers.push(() => held.promise);
  const check = cache.assertCanSend(1, 42, 7);
  cache.forgetGroup(43);
  held.resolve('admin');
  assert.equal(await check, 'admin');
  assert.equal(await cache.assertCanSend(1, 42, 7), 'admin');
  assert.equal(gate.asked, 1, 'served from the cache');
  // A group event drops it.
  const events = new EventHub(() => {});
  const listening = new CachedGroupGate(gate, new ManualClock(), events, 60_000);
  gate.answers.push(() => Promise.resolve('member'));
  assert.equal(await listening.assertCanSend(1, 42, 7), 'member');
  events.emit({ type: 'group.members_kicked', appId: 1, groupId: 42, userIds: [7], by: 1 } as never);
  gate.answers.push(kicked);
  await assert.rejects(listening.assertCanSend(1, 42, 7), { code: 'not_group_member' });
});

test('a read access computed before a kick is not stored after it either', async () => {
  const gate = new HeldGate();
  const cache = new CachedGroupGate(gate, new ManualClock(), new EventHub(() => {}), 60_000);
  const held = deferred<GroupRole>();
  gate.answers.push(() => held.promise);
  const check = cache.readAccess(1, 42, 7);
  cache.forgetGroup(42);
  held.resolve('member');
  assert.equal((await check).role, 'member');
  gate.answers.push(kicked);
  await assert.rejects(cache.readAccess(1, 42, 7), { code: 'not_group_member' });
});

test('a full cache evicts the least recently used answer, not everything, and its group index follows', () => {
  const answers = new GroupAnswers<string>(3);
  answers.set('a', 1, 'A', Infinity);
  answers.set('b', 2, 'B', Infinity);
  answers.set('c', 2, 'C', Infinity);
  assert.equal(answers.get('a', 0), 'A'); // 'a' is now the most recently used; 'b' the least
  answers.set('d', 3, 'D', Infinity);
  assert.equal(answers.size, 3);
  assert.equal(answers.get('b', 0), undefined, 'the least recently used went');
  assert.deepEqual([answers.get('a', 0), answers.get('c', 0), answers.get('d', 0)], ['A', 'C', 'D']);
  answers.forgetGroup(2);
  assert.equal(answers.get('c', 0), undefined);
  assert.equal(answers.size, 2);
  assert.equal(answers.groupCount, 2, 'groups 1 and 3 remain indexed; group 2 left with its last key');
  answers.set('e', 4, 'E', Infinity); // evicts nothing (2 + 1 = 3)
  answers.set('f', 4, 'F', Infinity); // evicts 'a', the least recently used: group 1 leaves the index
  assert.equal(answers.groupCount, 2);
  assert.equal(answers.get('a', 0), undefined);
});

test('an answer past its time is asked again', async () => {
  const gate = new HeldGate();
  const clock = new ManualClock();
  const cache = new CachedGroupGate(gate, clock, new EventHub(() => {}), 1_000);
  gate.answers.push(() => Promise.resolve('member'), kicked);
  assert.equal(await cache.assertCanSend(1, 42, 7), 'member');
  clock.advance(1_001);
  await assert.rejects(cache.assertCanSend(1, 42, 7), { code: 'not_group_member' });
});
