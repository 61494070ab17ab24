// Counts every call a running server makes into its store, by repository and
// method ("presence.saveLastSeen", "transaction"): the repositories are
// wrapped in place, so every core service that holds the store is counted.
// Tests use it to prove that something touches the store not at all.

import type { Store } from '../../src/core/ports.ts';

export interface StoreSpy {
  /** Calls since the last reset, by "repo.method" (the server's periodic housekeeping reads excepted). */
  readonly calls: Map<string, number>;
  total(): number;
  /** Calls whose method name reads as a write (anything but get/list/find/count/page-like reads). */
  writes(): number;
  reset(): void;
}

// The reads the server's timers make whatever the traffic (src/housekeeping.ts:
// the revocation watch and the ringing-call sweep each second, the lapsed
// uploads and files every ten minutes): a test window that crosses one of
// their ticks must not count them as the work under test.
const HOUSEKEEPING = new Set(['tokens.revokedSince', 'calls.listRingingBefore', 'uploads.listStartedBefore', 'files.listLapsed']);

const READS = /^(get|list|find|count|page|latest|recent|changed|stream|unread|positions|delivered|groupIdsOf|memberCount|search|is|has|of|revokedSince)/i;

export function spyOnStore(store: Store): StoreSpy {
  const calls = new Map<string, number>();
  const count = (name: string) => {
    if (!HOUSEKEEPING.has(name)) calls.set(name, (calls.get(name) ?? 0) + 1);
  };
  const wrap = (obj: Record<string, unknown>, prefix: string, depth: number) => {
    for (const [key, value] of Object.entries(obj)) {
      if (typeof value === 'function') {
        const fn = value as (...a: unknown[]) => unknown;
        obj[key] = function (this: unknown, ...args: unknown[]) {
          count(`${prefix}${key}`);
          return fn.apply(this, args);
        };
      } else if (value && typeof value === 'object' && depth < 2) wrap(value as Record<string, unknown>, `${prefix}${key}.`, depth + 1);
    }
  };
  wrap(store as unknown as Record<string, unknown>, '', 0);
  return {
    calls,
    total: () => [...calls.values()].reduce((a, b) => a + b, 0),
    writes: () => [...calls].filter(([name]) => !READS.test(name.split('.').pop()!)).reduce((a, [, n]) => a + n, 0),
    reset: () => calls.clear(),
  };
}
