// Loaded into an idle `parley serve` by bench/idle-footprint.ts (--import):
// after FOOTPRINT_AFTER_MS it writes what the process holds, as V8 and the
// kernel see it, to FOOTPRINT_OUT and lets the server run on. Reads only.

import { readFileSync, writeFileSync } from 'node:fs';
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';
import { isMainThread } from 'node:worker_threads';

// Through NODE_OPTIONS it is also loaded into the checkpoint worker, whose heap is not the one to report.
const out = isMainThread ? process.env.FOOTPRINT_OUT : undefined;
if (out) {
  setTimeout(() => {
    const mib = (n: number) => Math.round((n / 1048576) * 10) / 10;
    const rollup = Object.fromEntries(
      readFileSync('/proc/self/smaps_rollup', 'utf8')
        .split('\n')
        .map((l) => /^(\w+):\s+(\d+) kB/.exec(l))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => [m[1], Math.round((Number(m[2]) / 1024) * 10) / 10]),
    );
    const mem = process.memoryUsage();
    writeFileSync(
      out,
      JSON.stringify({
        memoryUsageMiB: Object.fromEntries(Object.entries(mem).map(([k, v]) => [k, mib(v)])),
        heapMiB: Object.fromEntries(Object.entries(getHeapStatistics()).map(([k, v]) => [k, mib(v)])),
        heapSpacesMiB: Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, { size: mib(s.space_size), used: mib(s.space_used_size), committed: mib(s.physical_space_size) }])),
        smapsRollupMiB: rollup,
        execArgv: process.execArgv,
      }),
    );
  }, Number(process.env.FOOTPRINT_AFTER_MS ?? 5000)).unref();
}
