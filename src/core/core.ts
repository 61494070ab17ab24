// Core as one object: the domain services, built from the ports. The
// composition root (src/server.ts) makes exactly one and hands it to every
// dialect and to the gateway.

import { Accounts, defaultAccountSettings, type AccountSettings } from './accounts.ts';
import { Apps } from './apps.ts';
import type { ReportBackgroundFailure } from './background.ts';
import { unavailableBlobs, type BlobStore } from './blobs.ts';
import { Calls, type CallRecorder, type CallsSettings } from './calls/calls.ts';
import { Files, type FilesSettings } from './files/files.ts';
import { Uploads } from './files/uploads.ts';
import type { GroupGate } from './groups/gate.ts';
import type { Clock } from './clock.ts';
import { EventHub, type DomainEvent } from './events.ts';
import type { IdGenerator } from './ids.ts';
import type { Repositories, Store } from './ports.ts';
import type { AttemptCounters } from './rate-limit.ts';
import { Tokens } from './tokens.ts';
import { Users } from './users.ts';
import { Devices } from './devices.ts';
import { Messages } from './messages/messages.ts';
import type { MessagingSettings } from './messages/context.ts';
import { Groups, defaultGroupLimits } from './groups/groups.ts';
import type { GroupLimits } from './groups/context.ts';
import { WebhookDirectory } from './webhooks/directory.ts';
import { WebhookOutbox } from './webhooks/outbox.ts';
import { moderationCheck, type ModerationSettings, type ModerationVerdict } from './webhooks/moderation.ts';
import type { WebhookTransport } from './webhooks/ports.ts';
import { Webhooks } from './webhooks/webhooks.ts';

export interface CoreDeps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  settings: CoreSettings;
  /** Where file bytes live; absent in processes that serve no files (CLI commands). */
  blobs?: BlobStore;
  /** Where failures of work nobody awaits go (a call's record); see background.ts. */
  onBackgroundError: ReportBackgroundFailure;
  /** Where sign-in and sign-up attempts are counted (src/limits/: memory or Redis). */
  attempts: AttemptCounters;
  /** How webhook deliveries and moderation calls are made (src/webhooks/); absent in the CLI. */
  webhookTransport?: WebhookTransport;
}

/** The rules' tunables; every one is also a setting in src/config.ts. */
export interface CoreSettings {
  userTokenTtlSeconds: number;
  messaging?: Partial<MessagingSettings>;
  files?: FilesSettings;
  calls?: CallsSettings;
  /** Group limits; defaults in src/core/groups/groups.ts. */
  groups?: Partial<GroupLimits>;
  /** Sign-up switch and sign-in limits; defaults in src/core/accounts.ts. */
  accounts?: Partial<AccountSettings>;
  /** Webhooks and the moderation hook; defaults below. */
  webhooks?: Partial<WebhookSettings>;
}

export interface WebhookSettings {
  /** Consecutive failed deliveries after which an endpoint is shown as failing. */
  failingAfter: number;
  /** How long a process trusts its cached list of an app's hooks (changes drop it at once, over the bus). */
  cacheMs: number;
  moderation: ModerationSettings;
}

export const defaultWebhookSettings: WebhookSettings = { failingAfter: 5, cacheMs: 30_000, moderation: { timeoutMs: 1000, onFailure: 'accept' } };

export const defaultFilesSettings: FilesSettings = { maxObjectSize: 5 * 1024 ** 3, maxPartSize: 5 * 1024 ** 3, minPartSize: 5 * 1024 ** 2, downloadUrlTtlSeconds: 3600, uploadCredentialTtlSeconds: 900, multipartMaxAgeSeconds: 86400, uploadIdleMs: 60_000 };
export const defaultCallsSettings: CallsSettings = { ringTimeoutSeconds: 60, trtc: null };

export interface Core {
  readonly store: Store;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly events: EventHub;
  readonly apps: Apps;
  readonly users: Users;
  readonly tokens: Tokens;
  /** Password sign-up and sign-in, limited, for every dialect. */
  readonly accounts: Accounts;
  readonly devices: Devices;
  readonly messages: Messages;
  readonly files: Files;
  readonly uploads: Uploads;
  readonly calls: Calls;
  readonly groups: Groups;
  /** The same object as `groups`, seen through the contract messages code against. */
  readonly groupGate: GroupGate;
  /** Apps' webhook endpoints and moderation hooks. */
  readonly webhooks: Webhooks;
  /** Integration points wired after construction (other domains' cores). */
  readonly hooks: CoreHooks;
}

/** Late-bound collaborators: set by the composition root once both sides exist. */
export interface CoreHooks {
  /** Writes a call-record message when a call ends (the messages core). */
  callRecorder?: CallRecorder;
  /** Hears each moderation verdict (metrics). */
  moderationVerdict?: (appId: number, verdict: ModerationVerdict) => void;
}

export function createCore(deps: CoreDeps): Core {
  const events = new EventHub(deps.onBackgroundError);
  const base = { store: deps.store, clock: deps.clock, ids: deps.ids };
  const hooks: CoreHooks = {};
  const filesDeps = { ...base, blobs: deps.blobs ?? unavailableBlobs, settings: deps.settings.files ?? defaultFilesSettings };
  const files = new Files(filesDeps);
  const hookSettings = { ...defaultWebhookSettings, ...deps.settings.webhooks };
  const directory = new WebhookDirectory(deps.clock, hookSettings.cacheMs);
  // Every change writes its webhook deliveries through this, in its own transaction.
  const outbox = new WebhookOutbox({ directory, ids: deps.ids, clock: deps.clock });
  const beforeSend = moderationCheck({ ...base, directory, transport: deps.webhookTransport, settings: hookSettings.moderation, onVerdict: (appId, v) => hooks.moderationVerdict?.(appId, v) });
  // A group change's notices are written in its own transaction by the messages core (built below), and so are its and their webhook deliveries.
  const recordWithChange = async (tx: Repositories, changes: readonly DomainEvent[]) => {
    const notices = await messages.recordNotices(tx, changes);
    await outbox.record(tx, [...changes, ...notices]);
    return notices;
  };
  const groups: Groups = new Groups({ ...base, events, limits: { ...defaultGroupLimits, ...deps.settings.groups }, recordWithChange });
  // Group rules reach messages only through the GroupGate contract.
  const messages: Messages = new Messages({ ...base, events, gate: groups, outbox, beforeSend, ...(deps.settings.messaging ? { settings: deps.settings.messaging } : {}) });
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
    accounts: new Accounts({ users, tokens, clock: deps.clock, counters: deps.attempts, settings: { ...defaultAccountSettings, ...deps.settings.accounts } }),
    devices: new Devices({ ...base, events, outbox }),
    messages,
    files,
    uploads: new Uploads(filesDeps, files),
    calls: new Calls({ ...base, events, settings: deps.settings.calls ?? defaultCallsSettings, groupGate: () => groups, recorder: () => hooks.callRecorder, report, outbox }),
    hooks,
    groups,
    groupGate: groups,
    webhooks: new Webhooks({ ...base, directory, failingAfter: hookSettings.failingAfter }),
  };
}
