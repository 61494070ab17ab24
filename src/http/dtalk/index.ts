// The dtalk dialect as the composition root mounts it: every route group of
// spec/dtalk-app-api.md (see README.md in this folder for the route table).

import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.ts';
import type { Bus } from '../../core/bus.ts';
import type { Core } from '../../core/core.ts';
import { dtalkPlugin } from './plugin.ts';
import type { DtalkRoutes } from './route.ts';
import { userRoutes } from './routes/user.ts';
import { recordRoutes } from './routes/records.ts';
import { callRoutes } from './routes/calls.ts';
import { ossRoutes } from './routes/oss.ts';
import { groupRoutes } from './routes/groups.ts';

export const dtalkRouteGroups: readonly DtalkRoutes[] = [
  userRoutes,
  ({ core, names }) => callRoutes(core, names),
  ({ core }) => ossRoutes(core),
  ({ core, names }) => groupRoutes(core, names),
  ({ core, names }) => recordRoutes(core, names, () => core.messages.settings.maxPage),
];

export function dtalkDialect(core: Core, config: Config, bus: Bus): (app: FastifyInstance) => Promise<void> {
  return dtalkPlugin(core, { appId: config.dtalkApp, mockTokens: config.dtalkMockTokens, routes: dtalkRouteGroups, bus: { bus, prefix: config.busPrefix }, socket: { replayLimit: config.dtalkReplayLimit } });
}
