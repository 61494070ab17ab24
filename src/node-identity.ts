// This process's node id lease (src/core/node-lease.ts) over the configured
// database: who we are (host, pid, a random holder id) and how we check
// whether another process of this host is still alive.

import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { systemClock } from './core/clock.ts';
import { leaseCommandNodeId, leaseServerNodeId, type LeaseDeps, type LeaseRole, type NodeLease } from './core/node-lease.ts';
import type { Engine } from './store/engine.ts';
import { nodeLeaseStore } from './store/node-leases.ts';

/** A server renews every 5 s; after a crash on another host, its successor waits at most this long. */
export const SERVER_LEASE_TTL_MS = 15_000;
/** An admin command renews every 20 s. */
export const COMMAND_LEASE_TTL_MS = 60_000;

export interface LeaseOptions {
  role: LeaseRole;
  /** The configured id (servers). */
  nodeId?: number;
  onRenewalProblem: LeaseDeps['onRenewalProblem'];
  highWater: () => number;
  ttlMs?: number;
}

export function leaseNodeId(engine: Engine, opts: LeaseOptions): Promise<NodeLease> {
  const deps: LeaseDeps = {
    store: nodeLeaseStore(engine.db),
    clock: systemClock,
    self: { holder: randomUUID(), role: opts.role, host: hostname(), pid: process.pid },
    ttlMs: opts.ttlMs ?? (opts.role === 'server' ? SERVER_LEASE_TTL_MS : COMMAND_LEASE_TTL_MS),
    isAlive,
    sleep: (ms) => sleep(ms),
    onRenewalProblem: opts.onRenewalProblem,
    highWater: opts.highWater,
  };
  return opts.role === 'server' ? leaseServerNodeId(opts.nodeId ?? 0, deps) : leaseCommandNodeId(deps);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, under another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
