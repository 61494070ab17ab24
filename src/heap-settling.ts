// Gives memory back when the server goes quiet after a burst of work (its
// start-up, a busy spell). V8 keeps what a burst grew: the young generation
// at the full size it grew to (up to 2 × 32 MiB) and the pages of collected
// spaces pooled for reuse, all of it resident. Its memory reducer shrinks the
// young generation once the process is idle but keeps the pooled pages, so an
// idle server stayed at its post-start-up size (bench/README.md, idle
// footprint). Only a "last resort" collection (repeated full collections
// that shrink the young generation and release the pool) gives them back to
// the system: ~16 MiB of an idle embedded server's ~120.
//
// That collection is reachable from JavaScript only through `gc`, which Node
// defines when started with --expose-gc: the `small` memory profile passes it
// (bin/memory-profile.mjs). It stops the process for 60-100 ms (an idle
// embedded server on a 2-core host), hence only once the event loop has been quiet for a whole
// check, after a busy one, and at most once a minute.

import { performance, type EventLoopUtilization } from 'node:perf_hooks';

/** How often the event loop's utilization is read. */
export const CHECK_MS = 2_000;
/** A check this busy (share of the interval spent running JavaScript or I/O callbacks) counts as a burst. */
export const BUSY_UTILIZATION = 0.05;
/**
 * A check at most this busy counts as quiet. An idle embedded server's timers
 * (housekeeping's queries each second) keep it 0.4-0.6 % busy on a quiet host,
 * and more where it shares the CPU: the margin keeps such a host settling.
 */
export const QUIET_UTILIZATION = 0.02;
/** At most one collection in this long, whatever the load's pattern. */
export const MIN_GAP_MS = 60_000;

export interface SettlingState {
  /** A busy check came since the last collection (start-up counts as one). */
  busySince: boolean;
  lastAt: number;
}

export const startingState = (): SettlingState => ({ busySince: true, lastAt: -Infinity });

/** Whether to collect now, given the last check's utilization; updates `state`. */
export function shouldSettle(state: SettlingState, utilization: number, now: number): boolean {
  if (utilization >= BUSY_UTILIZATION) {
    state.busySince = true;
    return false;
  }
  if (utilization > QUIET_UTILIZATION || !state.busySince || now - state.lastAt < MIN_GAP_MS) return false;
  state.busySince = false;
  state.lastAt = now;
  return true;
}

/** Node's `gc` (with --expose-gc): this form runs V8's "last resort" collection. */
type ExposedGc = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

export interface SettledReport {
  tookMs: number;
  rssBeforeMiB: number;
  rssAfterMiB: number;
}

/**
 * Starts watching the event loop; returns the stop, or undefined when the
 * process has no `gc` (started without --expose-gc: PARLEY_MEMORY=large, or
 * not through the launcher), where there is nothing to do.
 */
export function settleHeapWhenQuiet(onSettled: (report: SettledReport) => void): (() => void) | undefined {
  const gc = (globalThis as { gc?: ExposedGc }).gc;
  if (typeof gc !== 'function') return undefined;
  const state = startingState();
  let previous: EventLoopUtilization = performance.eventLoopUtilization();
  const timer = setInterval(() => {
    const current = performance.eventLoopUtilization();
    const { utilization } = performance.eventLoopUtilization(current, previous);
    previous = current;
    if (!shouldSettle(state, utilization, performance.now())) return;
    const mib = (n: number) => Math.round((n / 1048576) * 10) / 10;
    const rssBefore = process.memoryUsage.rss();
    const started = performance.now();
    gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
    const tookMs = Math.round(performance.now() - started);
    onSettled({ tookMs, rssBeforeMiB: mib(rssBefore), rssAfterMiB: mib(process.memoryUsage.rss()) });
    // The collection's own time is not load: start the next check after it.
    previous = performance.eventLoopUtilization();
  }, CHECK_MS);
  timer.unref();
  return () => clearInterval(timer);
}
