import type { Migration, MigrationProvider } from 'kysely/migration';
import * as foundation from './0001-foundation.ts';
import * as messages from './0003-messages.ts';
import * as files from './0004-files.ts';
import * as calls from './0005-calls.ts';
import * as dtalk from './0006-dtalk.ts';
import * as devicePositions from './0007-device-positions.ts';
import * as oneAnnouncement from './0008-one-announcement.ts';
import * as search from './0011-search.ts';
import * as groups from './0002-groups.ts';
import * as tokenRevocations from './0009-token-revocations.ts';
import * as nodeLeases from './0010-node-leases.ts';
import * as repliesEdits from './0012-replies-edits.ts';
import * as reactionsPins from './0013-reactions-pins.ts';
import * as lastSeen from './0014-last-seen.ts';
import * as streamWriters from './0016-stream-writers.ts';
import * as webhooksOutbox from './0017-webhooks-outbox.ts';
import * as largeGroups from './0015-large-groups.ts';

// Every migration, in order. Names sort; each domain adds its own file.
const migrations: Record<string, Migration> = {
  '0001-foundation': foundation,
  '0003-messages': messages,
  '0004-files': files,
  '0005-calls': calls,
  '0006-dtalk': dtalk,
  '0007-device-positions': devicePositions,
  '0008-one-announcement': oneAnnouncement,
  '0009-token-revocations': tokenRevocations,
  '0011-search': search,
  '0002-groups': groups,
  '0010-node-leases': nodeLeases,
  '0012-replies-edits': repliesEdits,
  '0013-reactions-pins': reactionsPins,
  '0014-last-seen': lastSeen,
  '0016-stream-writers': streamWriters,
  '0017-webhooks-outbox': webhooksOutbox,
  '0015-large-groups': largeGroups,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
