// Every process that writes holds its node id (src/core/ids.ts) as a lease in
// the store, so no two live processes make ids with the same node id and
// collide. Servers lease the id they are configured with and refuse to start
// while another live process holds it; admin commands lease any free id of
// their own range (COMMAND_NODE_IDS) for as long as they run. A lease lasts
// `ttlMs` and its holder renews it every third of that; a crashed holder's
// lease lapses on its own (or at once, when it was on this host and its pid
// is gone). On release, the lease keeps the holder's largest id as the floor
// for the next holder, so a clock that is behind cannot repeat an id.

import type { Clock } from './clock.ts';
import { COMMAND_NODE_IDS, SERVER_NODE_IDS } from './ids.ts';

export type LeaseRole = 'server' | 'command';

export interface LeaseHolder {
  /** Unique per lease taken (random). */
  holder: string;
  role: LeaseRole;
  host: string;
  pid: number;
}

export interface HeldLease extends LeaseHolder {
  nodeId: number;
  expiresAt: number;
}

/**
 * The store's side (src/store/node-leases.ts). Each call is one atomic
 * statement, so two processes racing for one node id cannot both win.
 */
export interface NodeLeaseStore {
  /** Takes the lease if it is free, lapsed (before `now`), or held by `replacing`; answers the floor id, or who holds it. */
  acquire(nodeId: number, who: LeaseHolder, expiresAt: number, now: number, replacing?: string): Promise<{ ok: true; floorId: number } | { ok: false; held: HeldLease }>;
  /** Extends the lease if `holder` still holds it; false when it was lost. */
  renew(nodeId: number, holder: string, expiresAt: number, floorId: number): Promise<boolean>;
  /** Gives the lease up, leaving `floorId` for the next holder. */
  release(nodeId: number, holder: string, floorId: number): Promise<void>;
}

export interface NodeLease {
  readonly nodeId: number;
  /** The largest id a previous holder of this node id issued. */
  readonly floorId: number;
  /** Stops renewing and frees the node id; `highWater` is the largest id this process made. */
  release(highWater: number): Promise<void>;
}

export interface LeaseDeps {
  store: NodeLeaseStore;
  /** Wall time: leases are between real processes, whatever clock the ids use. */
  clock: Clock;
  self: LeaseHolder;
  ttlMs: number;
  /** Whether a process of this host is alive (process.kill(pid, 0)). */
  isAlive: (pid: number) => boolean;
  sleep: (ms: number) => Promise<void>;
  /** Told when a renewal finds the lease gone or fails (the id space may be shared until it is back). */
  onRenewalProblem: (problem: { nodeId: number; error?: unknown; lost: boolean }) => void;
  /** Largest id made so far (renewals keep the floor current). */
  highWater?: () => number;
}

export class NodeIdInUse extends Error {
  readonly held: HeldLease;
  constructor(message: string, held: HeldLease) {
    super(message);
    this.held = held;
  }
}

const describe = (h: HeldLease) => `${h.role === 'server' ? 'a server' : 'an admin command'} (pid ${h.pid} on ${h.host})`;

/**
 * The server's lease on its configured node id. Held by a lapsed or dead
 * process: taken. Held by a process that keeps renewing: refused, naming it.
 */
export async function leaseServerNodeId(nodeId: number, deps: LeaseDeps): Promise<NodeLease> {
  if (nodeId < SERVER_NODE_IDS.first || nodeId > SERVER_NODE_IDS.last) throw new RangeError(`a server's node id is ${SERVER_NODE_IDS.first}..${SERVER_NODE_IDS.last}, got ${nodeId}`);
  let seen: HeldLease | undefined;
  for (;;) {
    const now = deps.clock.now();
    const replacing = seen && deadOnThisHost(seen, deps) ? seen.holder : undefined;
    const r = await deps.store.acquire(nodeId, deps.self, now + deps.ttlMs, now, replacing);
    if (r.ok) return held(nodeId, r.floorId, deps);
    const h = r.held;
    if (seen && (h.holder !== seen.holder || h.expiresAt > seen.expiresAt)) {
      throw new NodeIdInUse(`node id ${nodeId} is in use by ${describe(h)}, which keeps renewing its lease: give every server its own PARLEY_NODE_ID (${SERVER_NODE_IDS.first}..${SERVER_NODE_IDS.last})`, h);
    }
    seen = h;
    if (deadOnThisHost(h, deps)) continue;
    // Maybe a crashed process on another host: its lease lapses by itself unless it is alive and renews.
    await deps.sleep(Math.max(50, Math.min(h.expiresAt - now + 50, deps.ttlMs)));
  }
}

/** An admin command's lease: the first free (or lapsed) node id of the command range. */
export async function leaseCommandNodeId(deps: LeaseDeps): Promise<NodeLease> {
  const busy: HeldLease[] = [];
  for (let id = COMMAND_NODE_IDS.first; id <= COMMAND_NODE_IDS.last; id++) {
    const now = deps.clock.now();
    let r = await deps.store.acquire(id, deps.self, now + deps.ttlMs, now);
    if (!r.ok && deadOnThisHost(r.held, deps)) r = await deps.store.acquire(id, deps.self, now + deps.ttlMs, now, r.held.holder);
    if (r.ok) return held(id, r.floorId, deps);
    busy.push(r.held);
  }
  throw new NodeIdInUse(
    `every node id for admin commands (${COMMAND_NODE_IDS.first}..${COMMAND_NODE_IDS.last}) is held by a running command (${busy.map(describe).join(', ')}); try again when one has finished`,
    busy[0],
  );
}

function deadOnThisHost(h: HeldLease, deps: LeaseDeps): boolean {
  return h.host === deps.self.host && h.pid !== deps.self.pid && !deps.isAlive(h.pid);
}

function held(nodeId: number, floorId: number, deps: LeaseDeps): NodeLease {
  const every = Math.max(10, Math.floor(deps.ttlMs / 3));
  let renewing: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    renewing = deps.store.renew(nodeId, deps.self.holder, deps.clock.now() + deps.ttlMs, deps.highWater?.() ?? 0).then(
      (ok) => {
        if (!ok) deps.onRenewalProblem({ nodeId, lost: true });
      },
      (error: unknown) => deps.onRenewalProblem({ nodeId, error, lost: false }),
    );
  }, every);
  // Renewal must never be what keeps a finished process alive.
  timer.unref();
  let released = false;
  return {
    nodeId,
    floorId,
    async release(highWater) {
      if (released) return;
      released = true;
      clearInterval(timer);
      await renewing;
      await deps.store.release(nodeId, deps.self.holder, highWater);
    },
  };
}
