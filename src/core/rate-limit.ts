// A fixed-window attempt counter keyed by anything (a client address, a
// username). In memory on purpose: it guards expensive or guessable
// operations (password checks) on this process; a cluster multiplies the
// allowance by its node count, which is still a hard bound for guessing.

import type { Clock } from './clock.ts';
import { fail } from './errors.ts';

export interface RateLimit {
  /** Attempts allowed per window. */
  limit: number;
  windowMs: number;
}

interface Window {
  count: number;
  resetAt: number;
}

/** Past this many live keys, expired windows are swept (bounds memory under a spray of addresses). */
const SWEEP_AT = 10_000;

export class RateLimiter {
  readonly #clock: Clock;
  readonly #rule: RateLimit;
  readonly #windows = new Map<string, Window>();

  constructor(clock: Clock, rule: RateLimit) {
    this.#clock = clock;
    this.#rule = rule;
  }

  /** Throws `rate_limited` (with retryAfterSeconds) when `key` has used up its window. */
  check(key: string): void {
    const w = this.#live(key);
    if (w && w.count >= this.#rule.limit) {
      const retryAfterSeconds = Math.max(1, Math.ceil((w.resetAt - this.#clock.now()) / 1000));
      throw fail('rate_limited', `too many attempts; try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
    }
  }

  /** Counts one attempt for `key`. */
  hit(key: string): void {
    const now = this.#clock.now();
    const w = this.#live(key);
    if (w) {
      w.count++;
      return;
    }
    if (this.#windows.size >= SWEEP_AT) this.#sweep(now);
    this.#windows.set(key, { count: 1, resetAt: now + this.#rule.windowMs });
  }

  /** check() then hit(): the attempt counts only when it is allowed. */
  take(key: string): void {
    this.check(key);
    this.hit(key);
  }

  #live(key: string): Window | undefined {
    const w = this.#windows.get(key);
    if (w && w.resetAt <= this.#clock.now()) {
      this.#windows.delete(key);
      return undefined;
    }
    return w;
  }

  #sweep(now: number): void {
    for (const [k, w] of this.#windows) if (w.resetAt <= now) this.#windows.delete(k);
  }
}
