// Committed domain events → dtalk pushes (op 9) to the connected sessions of
// their audience. Every event type is decided here (the switch has no
// default, so a new event does not pass lint until this file says what
// dtalk clients get for it).

import type { Core } from '../../../core/core.ts';
import type { StopReason } from '../../../core/calls/model.ts';
import type { DomainEvent } from '../../../core/events.ts';
import type { DtalkNames } from '../names.ts';
import { commonEnvelope, signalEnvelope } from '../proto/messages.ts';
import { commonOf } from '../records/translate.ts';
import type { DtalkGateway } from './gateway.ts';

const STOP_REASONS: Record<StopReason, number> = { busy: 0, timeout: 1, reject: 2, hangup: 3, cancel: 4 };

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
    case 'call.started': {
      // StartCall rings the invitees (not the caller's own devices).
      const recipients = (await gateway.audienceUsers(event.appId, event.audience)).filter((id) => id !== event.call.callerId);
      gateway.pushToUsers(recipients, signalEnvelope('StartCall', { trace_id: event.call.id }));
      return;
    }
    case 'call.accepted': {
      const recipients = await gateway.audienceUsers(event.appId, event.audience);
      const t = event.ticket;
      const uid = await names.addressOf(event.appId, event.call.callerId);
      gateway.pushToUsers(recipients, signalEnvelope('AcceptCall', { trace_id: event.call.id, room_id: event.call.roomId, uid, user_sig: t?.userSig ?? '', private_map_key: t?.privateMapKey ?? '', skd_app_id: t?.sdkAppId ?? 0 }));
      return;
    }
    case 'call.updated':
      // Per-party changes of group calls; dtalk has only private calls (StartCall/AcceptCall/StopCall).
      return;
    case 'call.stopped': {
      // StopCall goes to the other party; a timeout (by null) to everyone.
      const recipients = (await gateway.audienceUsers(event.appId, event.audience)).filter((id) => id !== event.by);
      gateway.pushToUsers(recipients, signalEnvelope('StopCall', { trace_id: event.call.id, reason: STOP_REASONS[event.reason] }));
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
