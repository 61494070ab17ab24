// The business layer of dtalk messages (imparse.proto): the envelope, the
// Common message and its payloads, signals, and the socket Auth/Login. Plain
// typed objects over ./codec.ts.

import { decode, encode, type Int64 } from './codec.ts';

export const EventType = { common: 0, commonAck: 1, signal: 2, sysNotice: 3 } as const;
export const Channel = { toUser: 0, toGroup: 1 } as const;
export const Device = { Android: 0, IOS: 1, Windows: 2, Linux: 3, MacOS: 4, Web: 5 } as const;
export type DeviceName = keyof typeof Device;

export const MsgType = {
  System: 0, Text: 1, Audio: 2, Image: 3, Video: 4, File: 5, Card: 6, Notice: 7,
  Forward: 8, RTCCall: 9, Transfer: 10, Collect: 11, RedPacket: 12, ContactCard: 13,
} as const;


/** msgTypes a client may send (System, Notice, Collect and RTCCall are the server's). */
export const clientMsgTypes: ReadonlySet<number> = new Set([
  MsgType.Text, MsgType.Audio, MsgType.Image, MsgType.Video, MsgType.File, MsgType.Card,
  MsgType.Forward, MsgType.Transfer, MsgType.RedPacket, MsgType.ContactCard,
]);

export const SignalType = {
  Received: 0, Revoke: 1,
  SignInGroup: 10, SignOutGroup: 11, DeleteGroup: 12, FocusMessage: 13, EndpointLogin: 14,
  UpdateGroupJoinType: 20, UpdateGroupFriendType: 21, UpdateGroupMuteType: 22, UpdateGroupMemberType: 23,
  UpdateGroupMemberMuteTime: 24, UpdateGroupName: 25, UpdateGroupAvatar: 26,
  StartCall: 31, AcceptCall: 32, StopCall: 33,
} as const;
export type SignalName = keyof typeof SignalType;

export const NoticeType = {
  UpdateGroupName: 0, SignInGroup: 1, SignOutGroup: 2, KickOutGroup: 3, DeleteGroup: 4,
  UpdateGroupMuted: 5, UpdateGroupMemberMuted: 6, UpdateGroupOwner: 7,
} as const;
export type NoticeName = keyof typeof NoticeType;

export interface BizProto {
  eventType: number;
  body: Uint8Array;
}

export interface SourceUser { id: string; name: string }
export interface Source { channelType: number; from: SourceUser | null; target: SourceUser | null }
export interface Reference { topic: Int64; ref: Int64 }

export interface Common {
  channelType: number;
  mid: Int64;
  seq: string;
  from: string;
  target: string;
  msgType: number;
  msg: Uint8Array;
  datetime: Int64;
  source: Source | null;
  reference: Reference | null;
}

export interface CommonAck { mid: Int64; datetime: Int64 }

export interface Login {
  device: number;
  username: string;
  deviceToken: string;
  connType: number;
  uuid: string;
  deviceName: string;
}

export interface AuthMsg { appId: string; token: string; ext: Uint8Array }

export interface WireProto { ver: number; op: number; seq: number; ack: number; body: Uint8Array }

export const decodeBiz = (b: Uint8Array): BizProto => decode<BizProto>('imparse.proto.Proto', b);
export const encodeBiz = (p: BizProto): Uint8Array => encode('imparse.proto.Proto', p);
export const decodeCommon = (b: Uint8Array): Common => decode<Common>('imparse.proto.Common', b);
export const encodeCommon = (c: Partial<Common>): Uint8Array => encode('imparse.proto.Common', c);
export const decodeLogin = (b: Uint8Array): Login => decode<Login>('imparse.proto.Login', b);
export const decodeAuthMsg = (b: Uint8Array): AuthMsg => decode<AuthMsg>('im.comet.AuthMsg', b);
export const decodeWireProto = (b: Uint8Array): WireProto => decode<WireProto>('im.protocol.Proto', b);
export const encodeWireProto = (p: Partial<WireProto>): Uint8Array => encode('im.protocol.Proto', p);

/** A Common message wrapped in its business envelope (eventType 0): what op 9 and sync-record carry. */
export function commonEnvelope(c: Partial<Common>): Uint8Array {
  return encodeBiz({ eventType: EventType.common, body: encodeCommon(c) });
}

/** The op 8 body: the envelope (eventType 1) around CommonAck. */
export function commonAckEnvelope(ack: CommonAck): Uint8Array {
  return encodeBiz({ eventType: EventType.commonAck, body: encode('imparse.proto.CommonAck', ack) });
}

/** A signal in its business envelope; `reliable` is true for every type except EndpointLogin. */
export function signalEnvelope(name: SignalName, body: object, sid: Int64 = 0): Uint8Array {
  const signal = {
    type: SignalType[name],
    body: encode(`imparse.proto.Signal${name}`, body),
    sid,
    reliable: name !== 'EndpointLogin',
  };
  return encodeBiz({ eventType: EventType.signal, body: encode('imparse.proto.Signal', signal) });
}

/** A group notice payload (Common.msg of a msgType 7 message). */
export function noticePayload(name: NoticeName, body: object): Uint8Array {
  return encode('imparse.proto.NoticeMsg', { type: NoticeType[name], body: encode(`imparse.proto.NoticeMsg${name}`, body) });
}
