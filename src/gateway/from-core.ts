// Adapts core to what the gateway needs (contract.ts). The message and group
// operations are wired here as those modules land in core; until then a
// socket send is refused as unsupported and sessions follow no groups.

import type { Core } from '../core/core.ts';
import { fail } from '../core/errors.ts';
import type { EventTranslation, GatewayCore } from './contract.ts';

export function gatewayCore(core: Core): GatewayCore {
  return {
    clock: core.clock,
    authenticate: (token) => core.tokens.authenticate(token),
    groupIdsOf: async () => [],
    send: async () => {
      throw fail('unsupported', 'sending over the WebSocket needs the messages module');
    },
    messagesAfter: async (): Promise<{ messages: never[]; more: boolean }> => {
      throw fail('unsupported', 'resuming needs the messages module');
    },
  };
}

export const eventTranslation: EventTranslation = {
  message: () => undefined,
  membership: () => undefined,
};
