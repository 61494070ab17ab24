// What travels on the bus (src/gateway/bridge.ts: the native frame of each
// committed event, encoded once) → dtalk op 9 bodies. The gateway calls this
// once per arrival on this node, whatever the number of dtalk sessions it
// goes to: the native frame carries the whole stored message or the whole
// event (without its audience, which the topic stands for), which is all a
// dtalk push needs, so no second publish path exists for dtalk. Every event
// type is decided here (the switch has no default, so a new event does not
// pass lint until this file says what dtalk clients get for it).

import type { StopReason } from '../../../core/calls/model.ts';
import type { DomainEvent } from '../../../core/events.ts';
import { MUTE_FOREVER } from '../../../core/groups/mute.ts';
import type { Message } from '../../../core/messages/model.ts';
import { DTALK_FOREVER, JOIN_TYPES } from '../routes/group-view.ts';
import { deviceNumber } from '../routes/user.ts';
import type { DtalkNames } from '../names.ts';
import { commonEnvelope, signalEnvelope } from '../proto/messages.ts';
import { commonOf, type Names } from '../records/translate.ts';
import type { PushedMessage } from './session.ts';

/** An event as the bridge publishes it: without `audience` (the topic it arrived on names who hears it). */
type Published<E> = E extends unknown ? Omit<E, 'audience'> : never;
export type BusEvent = Published<DomainEvent>;

/** The native frames the bridge publishes (src/gateway/protocol.ts `frame.message` / `frame.event`). */
export type BusFrame = { type: 'message'; conversation: string; seq: number; message: Message } | { type: 'event'; event: BusEvent };

export interface Push {
  appId: number;
  /** op 9 bodies, in order. */
  bodies: Uint8Array[];
  /** Sessions of this user are left out (a caller's own devices do not ring). */
  exceptUserId?: number;
  /** Set for a Common message: what acks, replay and de-duplication key on. */
  message?: PushedMessage & { clientId: string | null };
  /** An EndpointLogin: the connection it announces got its own at op 2 and is left out. */
  signIn?: { uuid: string; at: number };
}

const STOP_REASONS: Record<StopReason, number> = { busy: 0, timeout: 1, reject: 2, hangup: 3, cancel: 4 };

/** A stored message as one op 9 push; undefined when dtalk has no form for it (call records, revoke markers). */
export async function messagePush(m: Message, names: Names): Promise<Push | undefined> {
  const common = await commonOf(m, names);
  if (!common) return undefined;
  return { appId: m.appId, bodies: [commonEnvelope(common)], message: { mid: m.id, pos: m.pos, senderId: m.senderId, private: m.kind === 'private', clientId: m.clientId } };
}

/** The EndpointLogin signal of a sign-in (`reliable` false, as in the original). */
export function endpointLogin(uuid: string, kind: string, name: string, at: number): Uint8Array {
  return signalEnvelope('EndpointLogin', { uuid, device: Math.max(deviceNumber(kind), 0), deviceName: name, datetime: at });
}

/** The Revoke signal of a revoked message (live, and in a phone's replay). */
export async function revokePush(m: Message, operatorId: number, names: DtalkNames): Promise<Push> {
  const operator = await names.addressOf(m.appId, operatorId);
  return { appId: m.appId, bodies: [signalEnvelope('Revoke', { mid: m.id, operator, self: operatorId === m.senderId })] };
}

export async function translate(frame: BusFrame, names: DtalkNames): Promise<Push | undefined> {
  if (frame.type === 'message') return messagePush(frame.message, names.forApp(frame.message.appId));
  if (frame.type !== 'event') return undefined;
  const event = frame.event;
  const signals = await signalsOf(event, names);
  if (!signals || signals.bodies.length === 0) return undefined;
  return { appId: event.appId, ...signals };
}

async function addresses(names: DtalkNames, appId: number, userIds: readonly number[]): Promise<string[]> {
  return Promise.all(userIds.map((id) => names.addressOf(appId, id)));
}

async function signalsOf(event: BusEvent, names: DtalkNames): Promise<Omit<Push, 'appId'> | undefined> {
  const one = (body: Uint8Array) => ({ bodies: [body] });
  switch (event.type) {
    case 'device.signed_in': {
      const d = event.device;
      return { bodies: [endpointLogin(d.uuid, d.kind, d.name, event.at)], signIn: { uuid: d.uuid, at: event.at } };
    }
    case 'user.created':
    case 'user.updated':
    case 'token.revoked':
      // Profiles and bearer tokens are not part of the dtalk protocol.
      return undefined;
    case 'conversation.read':
      // Read positions have no dtalk form (its Received signal is a phone's delivery receipt).
      return undefined;
    case 'message.sent':
      // Published as a message frame (above), never as an event.
      return undefined;
    case 'message.delivered':
      // A phone of the recipient acknowledged these private messages (the original's source "Storage, sync and history").
      return one(signalEnvelope('Received', { logs: event.messageIds }));
    case 'message.edited':
      // dtalk has no edit: its clients read the latest text from sync-record and pri-chat-record.
    case 'message.reacted':
    case 'message.pinned':
    case 'message.unpinned':
      // The original has no reactions or pins (its documents and sources name neither).
      return undefined;
    case 'message.revoked':
      return revokePush(event.message, event.operatorId, names);
    case 'message.focused': {
      const uid = await names.addressOf(event.appId, event.userId);
      return one(signalEnvelope('FocusMessage', { mid: event.messageId, uid, currentNum: event.count, time: event.at }));
    }
    case 'call.started':
      // StartCall rings the invitees (not the caller's own devices).
      return { bodies: [signalEnvelope('StartCall', { trace_id: event.call.id })], exceptUserId: event.call.callerId };
    case 'call.accepted': {
      const t = event.ticket;
      const uid = await names.addressOf(event.appId, event.call.callerId);
      return one(signalEnvelope('AcceptCall', { trace_id: event.call.id, room_id: event.call.roomId, uid, user_sig: t?.userSig ?? '', private_map_key: t?.privateMapKey ?? '', skd_app_id: t?.sdkAppId ?? 0 }));
    }
    case 'call.updated':
      // Per-party changes of group calls; dtalk has only private calls (StartCall/AcceptCall/StopCall).
      return undefined;
    case 'call.stopped': {
      // StopCall goes to the other party; a timeout (by null) to everyone.
      const body = signalEnvelope('StopCall', { trace_id: event.call.id, reason: STOP_REASONS[event.reason] });
      return event.by === null ? one(body) : { bodies: [body], exceptUserId: event.by };
    }
    case 'group.created':
      return one(signalEnvelope('SignInGroup', { uid: [await names.addressOf(event.appId, event.group.ownerId)], group: event.groupId, time: event.at }));
    case 'group.members_joined':
      return one(signalEnvelope('SignInGroup', { uid: await addresses(names, event.appId, event.userIds), group: event.groupId, time: event.at }));
    case 'group.member_left':
    case 'group.members_removed': {
      // Those who left still hear it: the event reaches their own topic too, and
      // their group subscription ends only after it (the bridge's order).
      const userIds = event.type === 'group.member_left' ? [event.userId] : event.userIds;
      return one(signalEnvelope('SignOutGroup', { uid: await addresses(names, event.appId, userIds), group: event.groupId, time: event.at }));
    }
    case 'group.dismissed':
      return one(signalEnvelope('DeleteGroup', { group: event.groupId, time: event.at }));
    case 'group.owner_transferred': {
      const bodies: Uint8Array[] = [];
      for (const [userId, type] of [[event.toUserId, 2], [event.fromUserId, 0]] as const) {
        bodies.push(signalEnvelope('UpdateGroupMemberType', { group: event.groupId, uid: await names.addressOf(event.appId, userId), type, time: event.at }));
      }
      return { bodies };
    }
    case 'group.roles_changed': {
      const type = event.role === 'owner' ? 2 : event.role === 'admin' ? 1 : 0;
      const bodies: Uint8Array[] = [];
      for (const userId of event.userIds) {
        bodies.push(signalEnvelope('UpdateGroupMemberType', { group: event.groupId, uid: await names.addressOf(event.appId, userId), type, time: event.at }));
      }
      return { bodies };
    }
    case 'group.members_muted':
    case 'group.members_unmuted': {
      const muteTime = event.type === 'group.members_unmuted' ? 0 : event.mutedUntil >= MUTE_FOREVER ? DTALK_FOREVER : event.mutedUntil;
      return one(signalEnvelope('UpdateGroupMemberMuteTime', { group: event.groupId, uid: await addresses(names, event.appId, event.userIds), muteTime, time: event.at }));
    }
    case 'group.updated': {
      const g = event.group;
      const base = { group: event.groupId, time: event.at };
      const bodies: Uint8Array[] = [];
      for (const field of event.changed) {
        if (field === 'name' || field === 'publicName') bodies.push(signalEnvelope('UpdateGroupName', { ...base, name: g.name }));
        else if (field === 'avatar') bodies.push(signalEnvelope('UpdateGroupAvatar', { ...base, avatar: g.avatar }));
        else if (field === 'invitePolicy') bodies.push(signalEnvelope('UpdateGroupJoinType', { ...base, type: Math.max(0, JOIN_TYPES.indexOf(g.invitePolicy as (typeof JOIN_TYPES)[number])) }));
        else if (field === 'allowFriending') bodies.push(signalEnvelope('UpdateGroupFriendType', { ...base, type: g.allowFriending ? 0 : 1 }));
        else if (field === 'muteAllUntil') bodies.push(signalEnvelope('UpdateGroupMuteType', { ...base, type: g.muteAllUntil !== null && g.muteAllUntil > event.at ? 1 : 0 }));
      }
      return { bodies };
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
      return undefined;
  }
}
