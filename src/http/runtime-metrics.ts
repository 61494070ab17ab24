// Metrics read from the running parts at scrape time: the gateway's sessions
// and deliveries, the group commit's batches, and whether the database
// answers. The parts keep plain counters (cheap on their hot paths); this
// file turns them into Prometheus families only when /metrics is read.

import { Counter, Gauge } from 'prom-client';
import type { GroupCommitStats } from '../core/messages/group-commit.ts';
import type { GatewayStats } from '../gateway/node.ts';
import type { Metrics } from './ops.ts';

export interface RuntimeSources {
  gateway: () => GatewayStats;
  commits: () => Readonly<GroupCommitStats>;
  /** Resolves when the database answers; rejects (or does not settle in time) when it does not. */
  pingDatabase: () => Promise<void>;
}

const PING_TIMEOUT_MS = 1000;

/** A Prometheus counter that mirrors a monotonic number read at scrape time. */
function mirroredCounter(metrics: Metrics, name: string, help: string, read: () => number): void {
  let seen = 0;
  new Counter({
    name,
    help,
    registers: [metrics.registry],
    collect() {
      const now = read();
      if (now > seen) this.inc(now - seen);
      seen = Math.max(seen, now);
    },
  });
}

export function registerRuntimeMetrics(metrics: Metrics, from: RuntimeSources): void {
  const registers = [metrics.registry];
  new Gauge({ name: 'parley_ws_sessions', help: 'WebSocket sessions connected to this process', registers, collect() { this.set(from.gateway().connections); } });
  mirroredCounter(metrics, 'parley_ws_deliveries_total', 'Frames delivered to WebSocket sessions (messages and events)', () => from.gateway().deliveries);
  mirroredCounter(metrics, 'parley_ws_slow_consumer_disconnects_total', 'WebSocket sessions cut off because they fell PARLEY_WS_QUEUE_BYTES behind', () => from.gateway().slowConsumers);
  mirroredCounter(metrics, 'parley_ws_resume_repairs_total', 'Sessions that re-read the store after the bus may have dropped notifications', () => from.gateway().repairs);
  mirroredCounter(metrics, 'parley_bus_interruptions_total', 'Times the bus may have lost notifications (reconnect or failed publish)', () => from.gateway().interruptions);
  mirroredCounter(metrics, 'parley_group_commit_batches_total', 'Message write transactions (group-commit batches)', () => from.commits().batches);
  mirroredCounter(metrics, 'parley_group_commit_messages_total', 'Messages written by group-commit batches (÷ batches = mean batch size)', () => from.commits().messages);
  new Gauge({ name: 'parley_group_commit_largest_batch', help: 'Largest group-commit batch since the process started', registers, collect() { this.set(from.commits().largestBatch); } });
  new Gauge({
    name: 'parley_database_up',
    help: '1 when the database answered a ping within 1 s at scrape time, else 0',
    registers,
    async collect() {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), PING_TIMEOUT_MS);
      });
      try {
        await Promise.race([from.pingDatabase(), late]);
        this.set(1);
      } catch {
        this.set(0);
      } finally {
        clearTimeout(timer);
      }
    },
  });
}
