// dtalk messages ↔ Parley's stored message shape (core/messages model: a type
// naming a payload, the payload's fields in Parley's names, and `ext` for
// what a dialect carries beside it). Text, audio, image, video, file and
// contact cards map onto core types so every dialect sees them; dtalk-only
// payloads (bank card, forward, transfer, red packet) are `x-dtalk-…` types
// whose body is the payload's protobuf JSON, so they round-trip exactly.
// `source` and `reference` ride in `ext.dtalk`. A payload that is not its
// msgType's protobuf (the desktop client's ciphertext: the original's source
// "Groups") is core's `encrypted` type, its bytes kept exactly.

import { createHash } from 'node:crypto';
import { ProtoDecodeError, decode, encode } from '../proto/codec.ts';
import { MsgType, clientMsgTypes, noticePayload, type Common, type NoticeName, type Reference, type Source } from '../proto/messages.ts';
import { type as protoType } from '../proto/schema.ts';

/** What a sender hands to core (structurally core's MessageInput). */
export interface MessageInput {
  type: string;
  body: Record<string, unknown>;
  ext?: Record<string, unknown> | null;
  clientId?: string | null;
  /** `reference.ref`: the quoted message (core links it when it is one of this conversation). */
  replyTo?: number | null;
  /** `reference.topic`: the thread's root. */
  threadRootId?: number | null;
}

/** The stored message as far as dtalk needs it (structurally core's Message). */
export interface StoredMessage {
  id: number;
  kind: 'group' | 'private';
  groupId: number | null;
  senderId: number | null;
  recipientId: number | null;
  clientId: string | null;
  appId: number;
  type: string;
  body: Record<string, unknown>;
  ext: Record<string, unknown> | null;
  createdAt: number;
  /** A reply sent through another dialect: shown as `reference` (core/messages/replies.ts). */
  replyToId?: number | null;
  threadRootId?: number | null;
}

/** How user ids and dtalk addresses are turned into each other. */
export interface Names {
  idsOf(addresses: readonly string[]): Promise<number[]>;
  addressOf(userId: number): Promise<string>;
}

const DIALECT_TYPES: Readonly<Record<number, string>> = {
  [MsgType.Card]: 'x-dtalk-card',
  [MsgType.Forward]: 'x-dtalk-forward',
  [MsgType.Transfer]: 'x-dtalk-transfer',
  [MsgType.RedPacket]: 'x-dtalk-redpacket',
};
const DIALECT_PAYLOADS: Readonly<Record<string, [number, string]>> = {
  'x-dtalk-card': [MsgType.Card, 'imparse.proto.CardMsg'],
  'x-dtalk-forward': [MsgType.Forward, 'imparse.proto.ForwardMsg'],
  'x-dtalk-transfer': [MsgType.Transfer, 'imparse.proto.TransferMsg'],
  'x-dtalk-redpacket': [MsgType.RedPacket, 'imparse.proto.RedPacketMsg'],
};

/** The payload as protobuf JSON (proto field names, 64-bit as strings, bytes as base64), defaults omitted. */
function payloadJson(typeName: string, bytes: Uint8Array): Record<string, unknown> {
  const t = protoType(typeName);
  try {
    return t.toObject(t.decode(bytes), { longs: String, enums: Number, bytes: String }) as Record<string, unknown>;
  } catch (e) {
    throw new ProtoDecodeError(typeName, e);
  }
}

/**
 * Whether `bytes` are exactly a `typeName` protobuf: they decode, and the
 * decoded message encodes back to the same bytes. Ciphertext fails one or
 * the other (bad wire types, unknown fields, bytes that are not UTF-8 in a
 * string field), and so does anything Parley could not give back as it came.
 */
function isExactly(typeName: string, bytes: Uint8Array): boolean {
  const t = protoType(typeName);
  try {
    return Buffer.from(t.encode(t.decode(bytes)).finish()).equals(bytes);
  } catch {
    return false;
  }
}

const PAYLOAD_TYPES: Readonly<Record<number, string>> = {
  [MsgType.Text]: 'imparse.proto.TextMsg',
  [MsgType.Audio]: 'imparse.proto.AudioMsg',
  [MsgType.Image]: 'imparse.proto.ImageMsg',
  [MsgType.Video]: 'imparse.proto.VideoMsg',
  [MsgType.File]: 'imparse.proto.FileMsg',
  [MsgType.ContactCard]: 'imparse.proto.ContactCardMsg',
  [MsgType.Card]: 'imparse.proto.CardMsg',
  [MsgType.Forward]: 'imparse.proto.ForwardMsg',
  [MsgType.Transfer]: 'imparse.proto.TransferMsg',
  [MsgType.RedPacket]: 'imparse.proto.RedPacketMsg',
  [MsgType.Notice]: 'imparse.proto.NoticeMsg',
};

/** Core's client ids are 1–128 printable ASCII characters (an index key). */
const CORE_CLIENT_ID = /^[\x21-\x7e]{1,128}$/;

/**
 * The core client id of a dtalk `seq`. The original takes any string (its
 * only limit is the 1 MiB body); a seq core cannot key on is keyed by its
 * SHA-256, which keeps resends idempotent, and the seq itself rides in
 * `ext.dtalk.seq` so clients get it back as sent.
 */
export function clientIdOf(seq: string): string | null {
  if (seq === '') return null;
  return CORE_CLIENT_ID.test(seq) ? seq : `dtalk-seq:${createHash('sha256').update(seq).digest('hex')}`;
}

/**
 * The `seq` (msgId) a client gets: the one its sender gave, else one made
 * from the message id, uuid-shaped and the same on every read (the desktop
 * client's decoder throws on an empty msgId; notices and other dialects'
 * messages have none).
 */
export function seqOf(m: Pick<StoredMessage, 'id' | 'appId' | 'clientId' | 'ext'>): string {
  const given = ((m.ext ?? {}).dtalk as { seq?: unknown } | undefined)?.seq;
  if (typeof given === 'string') return given;
  if (m.clientId !== null) return m.clientId;
  const h = createHash('sha256').update(`parley-message:${m.appId}:${m.id}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A reference id core can hold (0 and ids past 2^53 stay only in ext). */
function safeId(v: bigint | number | undefined): number | null {
  if (v === undefined) return null;
  const n = Number(v);
  return Number.isSafeInteger(n) && n > 0 && BigInt(n) === BigInt(v) ? n : null;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const omitEmpty = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== '' && v !== 0 && v !== undefined));

/** A Common from a client → the core send input. Throws ProtoDecodeError on a payload that does not parse. */
export async function inputOf(c: Common, names: Names): Promise<MessageInput> {
  const ext: Record<string, unknown> = {};
  if (c.source) ext.source = c.source;
  if (c.reference && (c.reference.topic || c.reference.ref)) ext.reference = { topic: String(c.reference.topic), ref: String(c.reference.ref) };
  const clientId = clientIdOf(c.seq);
  if (clientId !== null && clientId !== c.seq) ext.seq = c.seq;
  // The reference stays in ext exactly as sent (the original stores it as given)
  // and, where it names messages core knows, becomes core's reply link.
  const ref = safeId(c.reference?.ref);
  const topic = safeId(c.reference?.topic);
  const input = (type: string, body: Record<string, unknown>): MessageInput => ({
    type,
    body,
    ext: Object.keys(ext).length ? { dtalk: ext } : null,
    clientId,
    ...(ref !== null ? { replyTo: ref } : {}),
    ...(topic !== null ? { threadRootId: topic } : {}),
  });
  const typeName = PAYLOAD_TYPES[c.msgType];
  if (typeName === undefined || !clientMsgTypes.has(c.msgType)) throw new ProtoDecodeError('client msgType', new Error(`msgType ${c.msgType} is not sent by clients`));
  if (!isExactly(typeName, c.msg)) {
    // Opaque to the server, as in the original: stored as it came, with the
    // msgType its clients read it as.
    ext.msgType = c.msgType;
    return input('encrypted', { data: Buffer.from(c.msg).toString('base64') });
  }
  switch (c.msgType) {
    case MsgType.Text: {
      const m = decode<{ content: string; mention: string[] }>('imparse.proto.TextMsg', c.msg);
      const body: Record<string, unknown> = { text: m.content };
      if (m.mention.length) body.mentions = await names.idsOf(m.mention);
      return input('text', body);
    }
    case MsgType.Audio: {
      const m = decode<{ mediaUrl: string; time: number }>('imparse.proto.AudioMsg', c.msg);
      return input('audio', { url: m.mediaUrl, duration: m.time });
    }
    case MsgType.Image: {
      const m = decode<{ mediaUrl: string; height: number; width: number }>('imparse.proto.ImageMsg', c.msg);
      return input('image', { url: m.mediaUrl, height: m.height, width: m.width });
    }
    case MsgType.Video: {
      const m = decode<{ mediaUrl: string; time: number; height: number; width: number }>('imparse.proto.VideoMsg', c.msg);
      return input('video', { url: m.mediaUrl, duration: m.time, height: m.height, width: m.width });
    }
    case MsgType.File: {
      const m = decode<{ mediaUrl: string; name: string; md5: string; size: number | bigint }>('imparse.proto.FileMsg', c.msg);
      return input('file', { url: m.mediaUrl, name: m.name, md5: m.md5, size: Number(m.size) });
    }
    case MsgType.ContactCard: {
      const m = decode<{ type: number; id: string; name: string; avatar: string; server: string; inviter: string }>('imparse.proto.ContactCardMsg', c.msg);
      return input('contact', { handle: m.id, name: m.name, avatar: m.avatar, extra: { type: m.type, server: m.server, inviter: m.inviter } });
    }
    default: {
      const type = DIALECT_TYPES[c.msgType];
      if (!type) throw new ProtoDecodeError('client msgType', new Error(`msgType ${c.msgType} is not sent by clients`));
      return input(type, payloadJson(DIALECT_PAYLOADS[type][1], c.msg));
    }
  }
}

/** Types dtalk clients never see: call records (the original keeps none) and revoke markers (deleted there). */
const HIDDEN = new Set(['call', 'revoked']);

/** Whether a stored message has a dtalk form at all. */
export const isShownToDtalk = (m: StoredMessage): boolean => !HIDDEN.has(m.type) && (m.type !== 'notice' || NOTICES[String(m.body.kind)] !== undefined);

type NoticeData = { actorId?: number | null; userIds?: number[]; userId?: number; inviterId?: number | null; toUserId?: number; changed?: string[]; name?: string; muteAllUntil?: number | null };

/**
 * Core's group notices (kind = the group event) as dtalk NoticeMsg bodies;
 * kinds dtalk has no notice for are not shown. The operator is the notice's
 * sender, as in the original.
 */
const NOTICES: Record<string, (d: NoticeData, group: number, at: number, addr: (id: number) => Promise<string>) => Promise<[NoticeName, object] | undefined>> = {
  'group.created': async (d, group, _at, addr) => ['SignInGroup', { group, inviter: d.actorId ? await addr(d.actorId) : '', members: [] }],
  'group.members_joined': async (d, group, _at, addr) => ['SignInGroup', { group, inviter: (d.inviterId ?? d.actorId) ? await addr((d.inviterId ?? d.actorId) as number) : '', members: await Promise.all((d.userIds ?? []).map(addr)) }],
  'group.member_left': async (d, group, _at, addr) => ['SignOutGroup', { group, operator: d.userId ? await addr(d.userId) : '' }],
  'group.members_removed': async (d, group, _at, addr) => ['KickOutGroup', { group, operator: d.actorId ? await addr(d.actorId) : '', members: await Promise.all((d.userIds ?? []).map(addr)) }],
  'group.dismissed': async (d, group, _at, addr) => ['DeleteGroup', { group, operator: d.actorId ? await addr(d.actorId) : '' }],
  'group.members_muted': async (d, group, _at, addr) => ['UpdateGroupMemberMuted', { group, operator: d.actorId ? await addr(d.actorId) : '', members: await Promise.all((d.userIds ?? []).map(addr)) }],
  'group.members_unmuted': async (d, group, _at, addr) => ['UpdateGroupMemberMuted', { group, operator: d.actorId ? await addr(d.actorId) : '', members: await Promise.all((d.userIds ?? []).map(addr)) }],
  'group.owner_transferred': async (d, group, _at, addr) => ['UpdateGroupOwner', { group, newOwner: d.toUserId ? await addr(d.toUserId) : '' }],
  'group.updated': async (d, group, at, addr) => {
    const operator = d.actorId ? await addr(d.actorId) : '';
    if (d.changed?.includes('name') && d.name !== undefined) return ['UpdateGroupName', { group, operator, name: d.name }];
    if (d.changed?.includes('muteAllUntil')) return ['UpdateGroupMuted', { group, operator, type: d.muteAllUntil !== null && d.muteAllUntil !== undefined && d.muteAllUntil > at ? 1 : 0 }];
    return undefined;
  },
};

/** The msgType and payload bytes of a stored message, for clients; undefined when dtalk has no form for it. */
export async function payloadOf(m: StoredMessage, names: Names): Promise<{ msgType: number; msg: Uint8Array } | undefined> {
  const b = m.body;
  if (HIDDEN.has(m.type)) return undefined;
  switch (m.type) {
    case 'encrypted': {
      // The bytes as they were sent, under the msgType they were sent as
      // (Text for another dialect's encrypted message).
      const sent = ((m.ext ?? {}).dtalk as { msgType?: unknown } | undefined)?.msgType;
      return { msgType: typeof sent === 'number' && PAYLOAD_TYPES[sent] !== undefined ? sent : MsgType.Text, msg: Buffer.from(str(b.data), 'base64') };
    }
    case 'notice': {
      const render = NOTICES[String(b.kind)];
      const out = render && (await render((b.data ?? {}) as NoticeData, m.groupId ?? 0, m.createdAt, (id) => names.addressOf(id)));
      return out && { msgType: MsgType.Notice, msg: noticePayload(out[0], out[1]) };
    }
    case 'text': {
      const mentions = Array.isArray(b.mentions) ? await Promise.all((b.mentions as number[]).map((id) => names.addressOf(id))) : [];
      return { msgType: MsgType.Text, msg: encode('imparse.proto.TextMsg', { content: str(b.text), mention: mentions }) };
    }
    case 'audio':
      return { msgType: MsgType.Audio, msg: encode('imparse.proto.AudioMsg', { mediaUrl: str(b.url), time: Math.round(num(b.duration)) }) };
    case 'image':
      return { msgType: MsgType.Image, msg: encode('imparse.proto.ImageMsg', { mediaUrl: str(b.url), height: num(b.height), width: num(b.width) }) };
    case 'video':
      return { msgType: MsgType.Video, msg: encode('imparse.proto.VideoMsg', { mediaUrl: str(b.url), time: Math.round(num(b.duration)), height: num(b.height), width: num(b.width) }) };
    case 'file':
      return { msgType: MsgType.File, msg: encode('imparse.proto.FileMsg', { mediaUrl: str(b.url), name: str(b.name), md5: str(b.md5), size: num(b.size) }) };
    case 'contact': {
      const extra = (b.extra ?? {}) as Record<string, unknown>;
      const id = str(b.handle) || (typeof b.userId === 'number' ? await names.addressOf(b.userId) : '');
      return {
        msgType: MsgType.ContactCard,
        msg: encode('imparse.proto.ContactCardMsg', omitEmpty({ type: num(extra.type) || 1, id, name: str(b.name), avatar: str(b.avatar), server: str(extra.server), inviter: str(extra.inviter) })),
      };
    }
    default: {
      const known = DIALECT_PAYLOADS[m.type];
      if (known) {
        const t = protoType(known[1]);
        return { msgType: known[0], msg: t.encode(t.fromObject(b)).finish() };
      }
      // A type dtalk has no payload for (another dialect's location, card,
      // custom…): shown as text, so the conversation stays readable.
      const text = typeof b.text === 'string' && b.text !== '' ? b.text : `[${m.type}]`;
      return { msgType: MsgType.Text, msg: encode('imparse.proto.TextMsg', { content: text }) };
    }
  }
}

/** A stored message as the Common clients receive (op 9, sync-record); undefined when dtalk has no form for it. */
export async function commonOf(m: StoredMessage, names: Names): Promise<Partial<Common> | undefined> {
  const payload = await payloadOf(m, names);
  if (!payload) return undefined;
  const { msgType, msg } = payload;
  // A notice is a group message from the operator, as in the original.
  const actor = m.type === 'notice' ? ((m.body.data ?? {}) as NoticeData).actorId : null;
  const senderId = m.senderId ?? actor ?? null;
  const dtalk = ((m.ext ?? {}).dtalk ?? {}) as { source?: Source; reference?: { topic: string; ref: string } };
  const reference: Reference | null = dtalk.reference
    ? { topic: BigInt(dtalk.reference.topic), ref: BigInt(dtalk.reference.ref) }
    : (m.replyToId ?? null) !== null || (m.threadRootId ?? null) !== null
      ? { topic: BigInt(m.threadRootId ?? 0), ref: BigInt(m.replyToId ?? 0) }
      : null;
  return {
    channelType: m.kind === 'group' ? 1 : 0,
    mid: m.id,
    seq: seqOf(m),
    from: senderId === null ? '' : await names.addressOf(senderId),
    target: m.kind === 'group' ? String(m.groupId) : m.recipientId === null ? '' : await names.addressOf(m.recipientId),
    msgType,
    msg,
    datetime: m.createdAt,
    ...(dtalk.source ? { source: dtalk.source } : {}),
    ...(reference ? { reference } : {}),
  };
}

/**
 * The payload as pri-chat-record returns it as `content`: the JSON object of
 * the payload, or for an encrypted payload the base64 text of its bytes
 * (what the original stores for a payload it cannot decode).
 */
export async function contentOf(m: StoredMessage, names: Names): Promise<Record<string, unknown> | string> {
  if (m.type === 'encrypted') return str(m.body.data);
  const payload = await payloadOf(m, names);
  if (!payload) return {};
  const { msgType, msg } = payload;
  const typeName = PAYLOAD_TYPES[msgType];
  return typeName ? payloadJson(typeName, msg) : {};
}
