// The dtalk dialect as the composition root mounts it: every route group of
// the dtalk app API document (see README.md in this folder for the route table).

import type { ReportBackgroundFailure } from '../../core/background.ts';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.ts';
import type { Bus } from '../../core/bus.ts';
import type { Core } from '../../core/core.ts';
import { dtalkPlugin } from './plugin.ts';
import type { DtalkRoutes } from './route.ts';
import { userRoutes } from './routes/user.ts';
import { recordRoutes } from './routes/records.ts';
import { callRoutes } from './routes/calls.ts';
import { objectPage, ossRoutes } from './routes/oss.ts';
import { OssLocation } from './oss-location.ts';
import { groupRoutes } from './routes/groups.ts';

export const dtalkRouteGroups: readonly DtalkRoutes[] = [
  userRoutes,
  ({ core, names }) => callRoutes(core, names),
  ({ core, location }) => ossRoutes(core, location),
  ({ core, names }) => groupRoutes(core, names),
  ({ core, names }) => recordRoutes(core, names, () => core.messages.settings.maxPage),
];

export function dtalkDialect(core: Core, config: Config, bus: Bus, report?: ReportBackgroundFailure): (app: FastifyInstance) => Promise<void> {
  const location = new OssLocation(config.blobStore === 's3' ? config.s3Bucket : null);
  return dtalkPlugin(core, { location, pages: [objectPage], appId: config.dtalkApp, mockTokens: config.dtalkMockTokens, routes: dtalkRouteGroups, bus: { bus, prefix: config.busPrefix }, socket: { replayLimit: config.dtalkReplayLimit }, ...(report ? { report } : {}) });
}
