// Core's AttemptCounter (src/core/rate-limit.ts) on rate-limiter-flexible:
// in this process's memory by default, in Redis when the bus is Redis so that
// every process of a cluster counts against one limit. If Redis cannot be
// reached, each process falls back to counting in its own memory (the
// library's insurance limiter) rather than letting every attempt through.

import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { AttemptCounter, AttemptCounters, RateLimit } from '../core/rate-limit.ts';

export interface AttemptCountersHandle {
  counters: AttemptCounters;
  close(): Promise<void>;
}

/** Counters kept in this process (the default, and the CLI's). */
export function memoryAttemptCounters(): AttemptCountersHandle {
  return { counters: (rule) => counterOf(new RateLimiterMemory(options(rule))), close: async () => {} };
}

/** Counters shared through Redis at `url`, under `prefix` (the cluster's bus prefix). ioredis is loaded only then. */
export async function redisAttemptCounters(url: string, prefix: string): Promise<AttemptCountersHandle> {
  const { Redis } = await import('ioredis');
  // No offline queue: while Redis is away the insurance limiter answers at once.
  const client = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  client.on('error', () => {}); // ioredis reconnects by itself; the insurance limiter covers the gap
  return {
    counters: (rule) => {
      const base = options(rule);
      return counterOf(new RateLimiterRedis({ ...base, keyPrefix: `${prefix}:limits:${rule.name}`, storeClient: client, insuranceLimiter: new RateLimiterMemory(base) }));
    },
    close: async () => {
      client.disconnect();
    },
  };
}

function options(rule: RateLimit) {
  // Keys carry their window (core's clock), so a key only has to outlive it.
  return { keyPrefix: rule.name, points: rule.limit, duration: Math.max(1, Math.ceil(rule.windowMs / 1000)) };
}

function counterOf(limiter: RateLimiterAbstract): AttemptCounter {
  return {
    async consume(key) {
      try {
        await limiter.consume(key, 1);
        return true;
      } catch (e) {
        if (e instanceof RateLimiterRes) return false;
        throw e;
      }
    },
    async refund(key) {
      await limiter.reward(key, 1);
    },
    async reset(key) {
      await limiter.delete(key);
    },
  };
}
