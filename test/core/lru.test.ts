import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lruCache } from '../../src/core/lru.ts';

test('the cache holds at most its count of entries and drops the least recently used first', () => {
  const dropped: string[] = [];
  const cache = lruCache<string, number>(3, { dispose: (_v, key, reason) => dropped.push(`${key}:${reason}`) });
  cache.set('a', 1).set('b', 2).set('c', 3);
  assert.equal(cache.get('a'), 1); // a is now the most recently used
  cache.set('d', 4);
  assert.equal(cache.size, 3);
  assert.equal(cache.has('b'), false);
  assert.deepEqual([...cache.keys()].sort(), ['a', 'c', 'd']);
  assert.deepEqual(dropped, ['b:evict']);
  cache.delete('c');
  assert.deepEqual(dropped, ['b:evict', 'c:delete']);
});

test('a large bound costs nothing until entries arrive', () => {
  const before = process.memoryUsage().heapUsed;
  const caches = Array.from({ length: 20 }, () => lruCache<string, number>(100_000));
  const grew = process.memoryUsage().heapUsed - before;
  // lru-cache given `max: 100_000` preallocates ~2.7 MiB each: 54 MiB for these 20.
  assert.ok(grew < 5 * 1048576, `20 empty caches took ${grew} bytes`);
  caches[0].set('k', 1);
  assert.equal(caches[0].get('k'), 1);
});
