// The database as Kysely sees it: the union of every domain's tables.
import type { FoundationTables } from './tables/foundation.ts';
import type { MessagesTables } from './tables/messages.ts';

import type { FileTables } from './tables/files.ts';
import type { CallTables } from './tables/calls.ts';
import type { DeviceTables } from './tables/devices.ts';

export interface Database extends FoundationTables, MessagesTables, FileTables, CallTables, DeviceTables {}
