// Committed domain events → dtalk pushes (op 9) to the connected sessions of
// their audience. Every event type is decided here (the switch has no
// default, so a new event does not pass lint until this file says what
// dtalk clients get for it).

import type { Core } from '../../../core/core.ts';
import type { DomainEvent } from '../../../core/events.ts';
import type { DtalkNames } from '../names.ts';
import { commonEnvelope, signalEnvelope } from '../proto/messages.ts';
import { commonOf } from '../records/translate.ts';
import type { DtalkGateway } from './gateway.ts';

export function deliverEvents(core: Core, gateway: DtalkGateway, names: DtalkNames, onError: (e: unknown) => void): () => void {
  return core.events.on((event) => {
    deliver(gateway, names, event).catch(onError);
  });
}

async function deliver(gateway: DtalkGateway, names: DtalkNames, event: DomainEvent): Promise<void> {
  switch (event.type) {
    case 'user.created':
    case 'user.updated':
    case 'token.revoked':
      // Profiles and bearer tokens are not part of the dtalk protocol.
      return;
    case 'conversation.read':
      // Read positions have no dtalk form (its Received signal is a phone's delivery receipt).
      return;
    case 'call.started':
    case 'call.accepted':
    case 'call.stopped':
    case 'call.updated':
      // Calls become StartCall/AcceptCall/StopCall signals together with the dtalk call routes.
      return;
    case 'group.created':
    case 'group.updated':
    case 'group.dismissed':
    case 'group.owner_transferred':
    case 'group.members_joined':
    case 'group.member_left':
    case 'group.members_removed':
    case 'group.roles_changed':
    case 'group.members_muted':
    case 'group.members_unmuted':
    case 'group.members_blocked':
    case 'group.members_unblocked':
    case 'group.member_updated':
    case 'group.application_created':
    case 'group.application_handled':
    case 'group.invitation_created':
    case 'group.invitation_handled':
    case 'group.announcement_posted':
    case 'group.announcement_updated':
    case 'group.announcement_deleted':
    case 'group.file_added':
    case 'group.file_renamed':
    case 'group.file_deleted':
      // Group events become dtalk signals (SignInGroup, UpdateGroupName, …) with the dtalk group routes.
      return;
    case 'message.sent': {
      const recipients = await gateway.audienceUsers(event.appId, event.audience);
      if (recipients.length === 0) return;
      const body = commonEnvelope(await commonOf(event.message, names.forApp(event.appId)));
      gateway.pushToUsers(recipients, body, event.message.clientId === null ? undefined : { senderId: event.message.senderId, clientId: event.message.clientId });
      return;
    }
    case 'message.revoked': {
      const recipients = await gateway.audienceUsers(event.appId, event.audience);
      if (recipients.length === 0) return;
      const operator = await names.addressOf(event.appId, event.operatorId);
      gateway.pushToUsers(recipients, signalEnvelope('Revoke', { mid: event.message.id, operator, self: event.operatorId === event.message.senderId }));
      return;
    }
    case 'message.focused': {
      const recipients = await gateway.audienceUsers(event.appId, event.audience);
      if (recipients.length === 0) return;
      const uid = await names.addressOf(event.appId, event.userId);
      gateway.pushToUsers(recipients, signalEnvelope('FocusMessage', { mid: event.messageId, uid, currentNum: event.count, time: event.at }));
      return;
    }
  }
}
