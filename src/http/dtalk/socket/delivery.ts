// Committed domain events → dtalk pushes (op 9) to the connected sessions of
// their audience. Every event type is decided here (the switch has no
// default, so a new event does not pass lint until this file says what
// dtalk clients get for it).

import type { Core } from '../../../core/core.ts';
import type { StopReason } from '../../../core/calls/model.ts';
import type { DomainEvent } from '../../../core/events.ts';
import { MUTE_FOREVER } from '../../../core/groups/mute.ts';
import { DTALK_FOREVER, JOIN_TYPES } from '../routes/group-view.ts';
import type { DtalkNames } from '../names.ts';
import { commonEnvelope, signalEnvelope } from '../proto/messages.ts';
import { commonOf } from '../records/translate.ts';
import type { DtalkGateway } from './gateway.ts';

const STOP_REASONS: Record<StopReason, number> = { busy: 0, timeout: 1, reject: 2, hangup: 3, cancel: 4 };

async function addresses(names: DtalkNames, appId: number, userIds: readonly number[]): Promise<string[]> {
  return Promise.all(userIds.map((id) => names.addressOf(appId, id)));
}

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
    case 'group.created': {
      gateway.forgetMemberships(event.groupId);
      const members = await gateway.audienceUsers(event.appId, event.audience);
      const uid = await addresses(names, event.appId, [event.group.ownerId, ...members.filter((id) => id !== event.group.ownerId)]);
      gateway.pushToUsers(members, signalEnvelope('SignInGroup', { uid, group: event.groupId, time: event.at }));
      return;
    }
    case 'group.members_joined': {
      gateway.forgetMemberships(event.groupId);
      const uid = await addresses(names, event.appId, event.userIds);
      gateway.pushToUsers(await gateway.audienceUsers(event.appId, event.audience), signalEnvelope('SignInGroup', { uid, group: event.groupId, time: event.at }));
      return;
    }
    case 'group.member_left':
    case 'group.members_removed': {
      // Sent before the membership is forgotten, so the ones who left hear it too.
      const userIds = event.type === 'group.member_left' ? [event.userId] : event.userIds;
      const recipients = [...new Set([...(await gateway.audienceUsers(event.appId, event.audience)), ...userIds])];
      gateway.forgetMemberships(event.groupId);
      gateway.pushToUsers(recipients, signalEnvelope('SignOutGroup', { uid: await addresses(names, event.appId, userIds), group: event.groupId, time: event.at }));
      return;
    }
    case 'group.dismissed': {
      const recipients = await gateway.audienceUsers(event.appId, event.audience);
      gateway.forgetMemberships(event.groupId);
      gateway.pushToUsers(recipients, signalEnvelope('DeleteGroup', { group: event.groupId, time: event.at }));
      return;
    }
    case 'group.owner_transferred': {
      const recipients = await gateway.audienceUsers(event.appId, event.audience);
      for (const [userId, type] of [[event.toUserId, 2], [event.fromUserId, 0]] as const) {
        gateway.pushToUsers(recipients, signalEnvelope('UpdateGroupMemberType', { group: event.groupId, uid: await names.addressOf(event.appId, userId), type, time: event.at }));
      }
      return;
    }
    case 'group.roles_changed': {
      const recipients = await gateway.audienceUsers(event.appId, event.audience);
      const type = event.role === 'owner' ? 2 : event.role === 'admin' ? 1 : 0;
      for (const userId of event.userIds) {
        gateway.pushToUsers(recipients, signalEnvelope('UpdateGroupMemberType', { group: event.groupId, uid: await names.addressOf(event.appId, userId), type, time: event.at }));
      }
      return;
    }
    case 'group.members_muted':
    case 'group.members_unmuted': {
      const muteTime = event.type === 'group.members_unmuted' ? 0 : event.mutedUntil >= MUTE_FOREVER ? DTALK_FOREVER : event.mutedUntil;
      gateway.pushToUsers(await gateway.audienceUsers(event.appId, event.audience), signalEnvelope('UpdateGroupMemberMuteTime', { group: event.groupId, uid: await addresses(names, event.appId, event.userIds), muteTime, time: event.at }));
      return;
    }
    case 'group.updated': {
      const recipients = await gateway.audienceUsers(event.appId, event.audience);
      const g = event.group;
      const base = { group: event.groupId, time: event.at };
      for (const field of event.changed) {
        if (field === 'name' || field === 'publicName') gateway.pushToUsers(recipients, signalEnvelope('UpdateGroupName', { ...base, name: g.name }));
        else if (field === 'avatar') gateway.pushToUsers(recipients, signalEnvelope('UpdateGroupAvatar', { ...base, avatar: g.avatar }));
        else if (field === 'invitePolicy') gateway.pushToUsers(recipients, signalEnvelope('UpdateGroupJoinType', { ...base, type: Math.max(0, JOIN_TYPES.indexOf(g.invitePolicy as (typeof JOIN_TYPES)[number])) }));
        else if (field === 'allowFriending') gateway.pushToUsers(recipients, signalEnvelope('UpdateGroupFriendType', { ...base, type: g.allowFriending ? 0 : 1 }));
        else if (field === 'muteAllUntil') gateway.pushToUsers(recipients, signalEnvelope('UpdateGroupMuteType', { ...base, type: g.muteAllUntil !== null && g.muteAllUntil > event.at ? 1 : 0 }));
      }
      return;
    }
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
      // No dtalk signal exists for these (block lists, nicknames, applications,
      // announcements and group files are other dialects' features).
      return;
    case 'message.focused': {
      const recipients = await gateway.audienceUsers(event.appId, event.audience);
      if (recipients.length === 0) return;
      const uid = await names.addressOf(event.appId, event.userId);
      gateway.pushToUsers(recipients, signalEnvelope('FocusMessage', { mid: event.messageId, uid, currentNum: event.count, time: event.at }));
      return;
    }
  }
}
