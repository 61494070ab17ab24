// Committed domain events → dtalk pushes (op 9) to the connected sessions of
// their audience. Every event type is decided here (the switch has no
// default, so a new event does not pass lint until this file says what
// dtalk clients get for it).

import type { Core } from '../../../core/core.ts';
import type { DomainEvent } from '../../../core/events.ts';
import type { DtalkGateway } from './gateway.ts';

export function deliverEvents(core: Core, gateway: DtalkGateway): () => void {
  return core.events.on((event) => {
    void deliver(gateway, event);
  });
}

async function deliver(gateway: DtalkGateway, event: DomainEvent): Promise<void> {
  void gateway;
  switch (event.type) {
    case 'user.created':
    case 'user.updated':
    case 'token.revoked':
      // Profiles and bearer tokens are not part of the dtalk protocol.
      return;
  }
}
