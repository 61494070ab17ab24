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
import { Groups, defaultGroupLimits } from './groups/groups.ts';
import type { GroupLimits } from './groups/context.ts';
import type { GroupGate } from './groups/gate.ts';

export interface CoreDeps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  settings: CoreSettings;
}

/** The rules' tunables; every one is also a setting in src/config.ts. */
export interface CoreSettings {
  userTokenTtlSeconds: number;
  /** Group limits; defaults in src/core/groups/groups.ts. */
  groups?: Partial<GroupLimits>;
}

export interface Core {
  readonly store: Store;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly events: EventHub;
  readonly apps: Apps;
  readonly users: Users;
  readonly tokens: Tokens;
  readonly groups: Groups;
  /** The same object as `groups`, seen through the contract messages code against. */
  readonly groupGate: GroupGate;
}

export function createCore(deps: CoreDeps): Core {
  const events = new EventHub();
  const base = { store: deps.store, clock: deps.clock, ids: deps.ids };
  const groups = new Groups({ ...base, events, limits: { ...defaultGroupLimits, ...deps.settings.groups } });
  return {
    ...base,
    events,
    apps: new Apps(base),
    users: new Users({ ...base, events }),
    tokens: new Tokens({ ...base, events, userTokenTtlSeconds: deps.settings.userTokenTtlSeconds }),
    groups,
    groupGate: groups,
  };
}
