// What a client sends as a message, in its three wrappings (the original's source
// "/record/push and /record/push2"): the business envelope alone
// (/record/push, part `message`), a whole serialized im.protocol.Proto
// (/record/push2), or a socket op 7 frame body. Only eventType common with
// channel 0/1 and a client msgType is accepted.

import { ProtoDecodeError } from '../proto/codec.ts';
import { Op } from '../proto/frame.ts';
import { Channel, EventType, clientMsgTypes, decodeBiz, decodeCommon, decodeWireProto, type Common } from '../proto/messages.ts';

/** A message the original refuses: the send pipeline answers -10500. */
export class RefusedMessage extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RefusedMessage';
  }
}

/** The Common inside a business envelope (/record/push, socket op 7). */
export function commonFromEnvelope(bytes: Uint8Array): Common {
  const biz = decodeBiz(bytes);
  if (biz.eventType !== EventType.common) throw new RefusedMessage(`eventType ${biz.eventType} is not sent by clients`);
  const c = decodeCommon(biz.body);
  if (c.channelType !== Channel.toUser && c.channelType !== Channel.toGroup) throw new RefusedMessage(`channelType ${c.channelType} is unknown`);
  if (!clientMsgTypes.has(c.msgType)) throw new RefusedMessage(`msgType ${c.msgType} is not sent by clients`);
  if (c.target === '') throw new RefusedMessage('target is empty');
  return c;
}

/** The Common inside a whole serialized frame (/record/push2): op 7, body = business envelope. */
export function commonFromWireProto(bytes: Uint8Array): Common {
  const p = decodeWireProto(bytes);
  if (p.op !== Op.sendMsg) throw new RefusedMessage(`op ${p.op} is not SendMsg`);
  return commonFromEnvelope(p.body);
}

export const isUnreadableMessage = (e: unknown): boolean => e instanceof RefusedMessage || e instanceof ProtoDecodeError;
