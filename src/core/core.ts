// Core as one object: the domain services, built from the ports. The
// composition root (src/server.ts) makes exactly one and hands it to every
// dialect and to the gateway.

import { Accounts, defaultAccountsSettings, type AccountsSettings } from './accounts.ts';
import { Apps } from './apps.ts';
import type { ReportBackgroundFailure } from './background.ts';
import { unavailableBlobs, type BlobStore } from './blobs.ts';
import { Calls, type CallRecorder, type CallsSettings } from './calls/calls.ts';
import { Files, type FilesSettings } from './files/files.ts';
import { Uploads } from './files/uploads.ts';
import type { GroupGate } from './groups/gate.ts';
import type { Clock } from './clock.ts';
import { EventHub } from './events.ts';
import type { IdGenerator } from './ids.ts';
import type { Store } from './ports.ts';
import { Tokens } from './tokens.ts';
import { Users } from './users.ts';
import { Devices } from './devices.ts';
import { Messages } from './messages/messages.ts';
import type { MessagingSettings } from './messages/context.ts';
import { Groups, defaultGroupLimits } from './groups/groups.ts';
import type { GroupLimits } from './groups/context.ts';

export interface CoreDeps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  settings: CoreSettings;
  /** Where file bytes live; absent in processes that serve no files (CLI commands). */
  blobs?: BlobStore;
  /** Where failures of work nobody awaits go (a call's record); see background.ts. */
  onBackgroundError: ReportBackgroundFailure;
}

/** The rules' tunables; every one is also a setting in src/config.ts. */
export interface CoreSettings {
  userTokenTtlSeconds: number;
  messaging?: Partial<MessagingSettings>;
  files?: FilesSettings;
  calls?: CallsSettings;
  /** Group limits; defaults in src/core/groups/groups.ts. */
  groups?: Partial<GroupLimits>;
  /** The sign-up switch and the limits on password guessing; defaults in src/core/accounts.ts. */
  accounts?: AccountsSettings;
}

const defaultFilesSettings: FilesSettings = { maxObjectSize: 5 * 1024 ** 3, maxPartSize: 5 * 1024 ** 3, minPartSize: 5 * 1024 ** 2, downloadUrlTtlSeconds: 3600, uploadCredentialTtlSeconds: 900, multipartMaxAgeSeconds: 86400 };
const defaultCallsSettings: CallsSettings = { ringTimeoutSeconds: 60, trtc: null };

export interface Core {
  readonly store: Store;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly events: EventHub;
  readonly apps: Apps;
  readonly users: Users;
  readonly tokens: Tokens;
  /** Password sign-up and sign-in, for every dialect that offers them. */
  readonly accounts: Accounts;
  readonly devices: Devices;
  readonly messages: Messages;
  readonly files: Files;
  readonly uploads: Uploads;
  readonly calls: Calls;
  readonly groups: Groups;
  /** The same object as `groups`, seen through the contract messages code against. */
  readonly groupGate: GroupGate;
  /** Integration points wired after construction (other domains' cores). */
  readonly hooks: CoreHooks;
}

/** Late-bound collaborators: set by the composition root once both sides exist. */
export interface CoreHooks {
  /** Writes a call-record message when a call ends (the messages core). */
  callRecorder?: CallRecorder;
}

export function createCore(deps: CoreDeps): Core {
  const events = new EventHub();
  const base = { store: deps.store, clock: deps.clock, ids: deps.ids };
  const hooks: CoreHooks = {};
  const filesDeps = { ...base, blobs: deps.blobs ?? unavailableBlobs, settings: deps.settings.files ?? defaultFilesSettings };
  const files = new Files(filesDeps);
  // A group change's notices are written in its own transaction by the messages core (built below).
  const groups: Groups = new Groups({ ...base, events, limits: { ...defaultGroupLimits, ...deps.settings.groups }, recordWithChange: (tx, changes) => messages.recordNotices(tx, changes) });
  // Group rules reach messages only through the GroupGate contract.
  const messages: Messages = new Messages({ ...base, events, gate: groups, ...(deps.settings.messaging ? { settings: deps.settings.messaging } : {}) });
  const report = deps.onBackgroundError;
  // A finished call leaves a record (type `call`) in its conversation.
  hooks.callRecorder = async (call) => void (await messages.recordCall(call));
  const users = new Users({ ...base, events });
  const tokens = new Tokens({ ...base, events, userTokenTtlSeconds: deps.settings.userTokenTtlSeconds });
  return {
    ...base,
    events,
    apps: new Apps(base),
    users,
    tokens,
    accounts: new Accounts({ users, tokens, clock: deps.clock, settings: deps.settings.accounts ?? defaultAccountsSettings }),
    devices: new Devices({ ...base, events }),
    messages,
    files,
    uploads: new Uploads(filesDeps, files),
    calls: new Calls({ ...base, events, settings: deps.settings.calls ?? defaultCallsSettings, groupGate: () => groups, recorder: () => hooks.callRecorder, report }),
    hooks,
    groups,
    groupGate: groups,
  };
}
