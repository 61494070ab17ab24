// The database as Kysely sees it: the union of every domain's tables.
import type { FoundationTables } from './tables/foundation.ts';
import type { MessagesTables } from './tables/messages.ts';
import type { FileTables } from './tables/files.ts';
import type { CallTables } from './tables/calls.ts';
import type { DeviceTables } from './tables/devices.ts';
import type { GroupTables } from './tables/groups.ts';
import type { NodeLeaseTables } from './tables/node-leases.ts';
import type { AnnotationTables } from './tables/annotations.ts';
import type { PresenceTables } from './tables/presence.ts';
import type { WebhookTables } from './tables/webhooks.ts';

export interface Database extends FoundationTables, GroupTables, MessagesTables, FileTables, CallTables, DeviceTables, NodeLeaseTables, AnnotationTables, PresenceTables, WebhookTables {}
