// Retries that back off: exponential delays with "full jitter" (a random
// delay between zero and an exponentially growing, capped ceiling). Two
// writers that collided once (two changes to one call) or processes that all
// lost a broker at the same moment would otherwise retry in lockstep and
// collide again. See "Exponential Backoff And Jitter", AWS Architecture Blog.

export interface BackoffPolicy {
  /** The first retry waits up to this long, ms; each further one up to twice as long… */
  baseMs: number;
  /** …but never longer than this, ms. */
  capMs: number;
}

/** The wait before retry number `retry` (1 = the first retry): uniform in [0, min(cap, base·2^(retry-1))]. */
export function backoffDelay(policy: BackoffPolicy, retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

export const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface RetryOptions {
  /** Runs in all, the first included. */
  attempts: number;
  policy: BackoffPolicy;
  /** Waits between runs (tests pass one that records the delays). */
  wait?: (ms: number) => Promise<void>;
}

/**
 * Runs `run` until it answers something other than `undefined`, waiting a
 * backed-off delay between runs; after `attempts` runs, `exhausted()` is thrown.
 */
export async function untilDone<T>(run: (attempt: number) => Promise<T | undefined>, opts: RetryOptions, exhausted: () => unknown): Promise<T> {
  const wait = opts.wait ?? pause;
  for (let attempt = 1; attempt <= opts.attempts; attempt++) {
    if (attempt > 1) await wait(backoffDelay(opts.policy, attempt - 1));
    const done = await run(attempt);
    if (done !== undefined) return done;
  }
  throw exhausted();
}
