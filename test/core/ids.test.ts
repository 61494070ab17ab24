import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../src/core/clock.ts';
import { SnowflakeIds, idTime, parseId, MAX_NODE_ID } from '../../src/core/ids.ts';

test('ids are unique, increasing and 53-bit safe across many in one millisecond', () => {
  const clock = new ManualClock(Date.UTC(2026, 5, 1));
  const ids = new SnowflakeIds(clock, 3);
  let last = 0;
  const seen = new Set<number>();
  for (let i = 0; i < 10_000; i++) {
    const id = ids.next();
    assert.ok(Number.isSafeInteger(id));
    assert.ok(id > last, 'increasing');
    seen.add(id);
    last = id;
  }
  assert.equal(seen.size, 10_000);
});

test('a clock stepping backwards never repeats an id', () => {
  const clock = new ManualClock(Date.UTC(2026, 5, 1));
  const ids = new SnowflakeIds(clock, 1);
  const before = Array.from({ length: 500 }, () => ids.next());
  clock.advance(-60_000);
  const after = Array.from({ length: 500 }, () => ids.next());
  const all = [...before, ...after];
  assert.equal(new Set(all).size, all.length);
  for (let i = 1; i < all.length; i++) assert.ok(all[i] > all[i - 1]);
});

test('different nodes make different ids at the same instant', () => {
  const clock = new ManualClock();
  const a = new SnowflakeIds(clock, 0).next();
  const b = new SnowflakeIds(clock, MAX_NODE_ID).next();
  assert.notEqual(a, b);
  assert.equal(idTime(a), clock.now());
});

test('node ids out of range are refused', () => {
  assert.throws(() => new SnowflakeIds(new ManualClock(), MAX_NODE_ID + 1), RangeError);
  assert.throws(() => new SnowflakeIds(new ManualClock(), -1), RangeError);
});

test('parseId accepts numbers and decimal strings only', () => {
  assert.equal(parseId(42), 42);
  assert.equal(parseId('42'), 42);
  assert.equal(parseId('4.2'), undefined);
  assert.equal(parseId(-1), undefined);
  assert.equal(parseId('9223372036854775807'), undefined);
  assert.equal(parseId(null), undefined);
});
