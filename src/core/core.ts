// Core as one object: the domain services, built from the ports. The
// composition root (src/server.ts) makes exactly one and hands it to every
// dialect and to the gateway.

import { Apps } from './apps.ts';
import type { Clock } from './clock.ts';
import { EventHub } from './events.ts';
import type { IdGenerator } from './ids.ts';
import type { Store } from './ports.ts';
import { Tokens } from './tokens.ts';
import { Users } from './users.ts';
import { Messages } from './messages/messages.ts';
import type { MessagingSettings } from './messages/context.ts';
import { noGroupsGate } from './messages/no-groups-gate.ts';

export interface CoreDeps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  settings: CoreSettings;
}

/** The rules' tunables; every one is also a setting in src/config.ts. */
export interface CoreSettings {
  userTokenTtlSeconds: number;
  messaging?: Partial<MessagingSettings>;
}

export interface Core {
  readonly store: Store;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly events: EventHub;
  readonly apps: Apps;
  readonly users: Users;
  readonly tokens: Tokens;
  readonly messages: Messages;
}

export function createCore(deps: CoreDeps): Core {
  const events = new EventHub();
  const base = { store: deps.store, clock: deps.clock, ids: deps.ids };
  return {
    ...base,
    events,
    apps: new Apps(base),
    users: new Users({ ...base, events }),
    tokens: new Tokens({ ...base, events, userTokenTtlSeconds: deps.settings.userTokenTtlSeconds }),
    // Group rules reach messages only through GroupGate; until groups are wired here, there are none.
    messages: new Messages({ ...base, events, gate: noGroupsGate, ...(deps.settings.messaging ? { settings: deps.settings.messaging } : {}) }),
  };
}
