// The database as Kysely sees it: the union of every domain's tables.
import type { FoundationTables } from './tables/foundation.ts';
import type { MessagesTables } from './tables/messages.ts';

import type { FileTables } from './tables/files.ts';
import type { CallTables } from './tables/calls.ts';

export interface Database extends FoundationTables, MessagesTables, FileTables, CallTables {}
// dtalk devices (0006-dtalk); interface merging keeps each domain's line separate.
import type { DeviceTables } from './tables/devices.ts';
export interface Database extends DeviceTables {}
