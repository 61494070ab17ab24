// Attempt limits (sign-in, sign-up): at most `limit` attempts per key in each
// fixed window of `windowMs`. The window comes from core's clock, so tests
// move time instead of sleeping; the counting is done by an AttemptCounter
// (a port: rate-limiter-flexible in memory, or in Redis so that every process
// of a cluster shares one count; see src/limits/).

import type { Clock } from './clock.ts';
import { fail } from './errors.ts';

export interface RateLimit {
  /** A name that keeps this rule's keys apart from other rules'. */
  name: string;
  /** Attempts allowed per window. */
  limit: number;
  windowMs: number;
}

/**
 * Counts attempts per key for one rule. Guarantee: `consume` is atomic among
 * every process sharing the counter, so concurrent attempts cannot all slip
 * under the limit. A key is forgotten at the latest `windowMs` after its
 * first attempt.
 */
export interface AttemptCounter {
  /** Counts one attempt on `key`; false when the key had already used its limit. */
  consume(key: string): Promise<boolean>;
  /** Gives one counted attempt back (it turned out not to count, e.g. a correct password). */
  refund(key: string): Promise<void>;
  /** Forgets every attempt on `key`. */
  reset(key: string): Promise<void>;
}

/** Makes the counter of a rule; supplied by the composition root. */
export type AttemptCounters = (rule: RateLimit) => AttemptCounter;

/** The attempt taken: what to hand back to `refund` or `reset` (the same window). */
export interface Attempt {
  readonly key: string;
}

export class RateLimiter {
  readonly #clock: Clock;
  readonly #rule: RateLimit;
  readonly #counter: AttemptCounter;

  constructor(clock: Clock, counters: AttemptCounters, rule: RateLimit) {
    this.#clock = clock;
    this.#rule = rule;
    this.#counter = counters(rule);
  }

  /**
   * Counts an attempt for `key`, before any expensive work, so concurrent
   * attempts are all counted; throws `rate_limited` (with retryAfterSeconds)
   * when the key has used up its window.
   */
  async take(key: string): Promise<Attempt> {
    const now = this.#clock.now();
    const start = now - (now % this.#rule.windowMs);
    const windowed = `${key}@${start}`;
    if (!(await this.#counter.consume(windowed))) {
      const retryAfterSeconds = Math.max(1, Math.ceil((start + this.#rule.windowMs - now) / 1000));
      throw fail('rate_limited', `too many attempts; try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
    }
    return { key: windowed };
  }

  refund(attempt: Attempt): Promise<void> {
    return this.#counter.refund(attempt.key);
  }

  reset(attempt: Attempt): Promise<void> {
    return this.#counter.reset(attempt.key);
  }
}
