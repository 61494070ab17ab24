// Adapts core to what the gateway needs (contract.ts). The message and group
// operations are wired here as those modules land in core; until then a
// socket send is refused as unsupported and sessions follow no groups.

import type { Core } from '../core/core.ts';
import { fail } from '../core/errors.ts';
import type { DomainEvent } from '../core/events.ts';
import type { EventTranslation, GatewayCore } from './contract.ts';

export function gatewayCore(core: Core): GatewayCore {
  return {
    clock: core.clock,
    authenticate: (token) => core.tokens.authenticate(token),
    groupIdsOf: (appId, userId) => core.groups.groupIdsOf(appId, userId),
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
  membership: groupMembership,
};

/** Group memberships a group event starts or ends (sessions follow the group's topic). */
function groupMembership(event: DomainEvent): { userIds: readonly number[]; groupId: number; joined: boolean } | undefined {
  if (event.type === 'group.created') return { userIds: [event.group.ownerId], groupId: event.groupId, joined: true };
  if (event.type === 'group.members_joined') return { userIds: event.userIds, groupId: event.groupId, joined: true };
  if (event.type === 'group.member_left') return { userIds: [event.userId], groupId: event.groupId, joined: false };
  if (event.type === 'group.members_removed') return { userIds: event.userIds, groupId: event.groupId, joined: false };
  return undefined;
}
