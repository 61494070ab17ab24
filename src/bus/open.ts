// Picks the bus variant from the PARLEY_BUS setting: `local`, `redis://…`
// (or `rediss://…`), `nats://…`. The Redis and NATS clients are loaded only
// when chosen: a single process on the local bus never holds them.

import type { ReportBackgroundFailure } from '../core/background.ts';
import type { Bus } from '../core/bus.ts';
import { openLocalBus } from './local/local-bus.ts';

/** `report` hears every failure the bus cannot throw to anyone (a lost publish, a dropped connection, a subscriber that threw). */
export async function openBus(setting: string, report: ReportBackgroundFailure): Promise<Bus> {
  if (setting === '' || setting === 'local') return openLocalBus(report);
  if (/^rediss?:\/\//.test(setting)) return (await import('./redis/redis-bus.ts')).openRedisBus(setting, report);
  if (setting.startsWith('nats://')) return (await import('./nats/nats-bus.ts')).openNatsBus(setting, report);
  throw new Error(`PARLEY_BUS must be local, redis://… or nats://…; got "${setting}"`);
}
