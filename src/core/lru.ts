// A least-recently-used cache bounded by a count of entries whose memory
// grows with what it holds. lru-cache given `max` allocates its whole
// capacity up front (two arrays and three typed arrays of that length:
// ~2.7 MiB for 100,000 entries, held by a server that caches nothing yet);
// bounded through `maxSize` with every entry counting 1, its arrays grow as
// entries arrive and it evicts the same way (bench/README.md, idle footprint).

import { LRUCache } from 'lru-cache';

type Options<K extends {}, V extends {}> = Omit<LRUCache.Options<K, V, unknown>, 'max' | 'maxSize' | 'sizeCalculation'>;

export function lruCache<K extends {}, V extends {}>(maxEntries: number, opts: Options<K, V> = {}): LRUCache<K, V> {
  return new LRUCache<K, V>({ ...opts, maxSize: maxEntries, sizeCalculation: () => 1 } as LRUCache.Options<K, V, unknown>);
}
