// Picks the bus variant from the PARLEY_BUS setting: `local`, `redis://…`
// (or `rediss://…`), `nats://…`.

import type { Bus } from '../core/bus.ts';
import { openLocalBus } from './local/local-bus.ts';
import { openNatsBus } from './nats/nats-bus.ts';
import { openRedisBus } from './redis/redis-bus.ts';

export async function openBus(setting: string): Promise<Bus> {
  if (setting === '' || setting === 'local') return openLocalBus();
  if (/^rediss?:\/\//.test(setting)) return openRedisBus(setting);
  if (setting.startsWith('nats://')) return openNatsBus(setting);
  throw new Error(`PARLEY_BUS must be local, redis://… or nats://…; got "${setting}"`);
}
