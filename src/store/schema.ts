// The database as Kysely sees it: the union of every domain's tables.
import type { FoundationTables } from './tables/foundation.ts';
import type { MessagesTables } from './tables/messages.ts';

export interface Database extends FoundationTables, MessagesTables {}
