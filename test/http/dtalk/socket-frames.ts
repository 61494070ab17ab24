// Reading op 9 pushes in tests: messages, signals and their bodies.

import { randomUUID } from 'node:crypto';
import { decode, encode } from '../../../src/http/dtalk/proto/codec.ts';
import { Op, type Frame } from '../../../src/http/dtalk/proto/frame.ts';
import { commonEnvelope, decodeBiz, decodeCommon, EventType, MsgType } from '../../../src/http/dtalk/proto/messages.ts';
import { rawPost } from './support.ts';
import type { DtalkUser } from './support.ts';

export const isMessage = (f: Frame) => f.op === Op.receiveMsg && decodeBiz(f.body).eventType === EventType.common;

export const isSignal = (type: number) => (f: Frame) => {
  if (f.op !== Op.receiveMsg) return false;
  const biz = decodeBiz(f.body);
  return biz.eventType === EventType.signal && decode<{ type: number }>('imparse.proto.Signal', biz.body).type === type;
};

/** The body of a signal push, decoded as `Signal<name>`. */
export function signalBody<T>(f: Frame, name: string): T {
  return decode<T>(`imparse.proto.Signal${name}`, decode<{ body: Uint8Array }>('imparse.proto.Signal', decodeBiz(f.body).body).body);
}

export const commonOfPush = (f: Frame) => decodeCommon(decodeBiz(f.body).body);
export const textOf = (f: Frame) => decode<{ content: string }>('imparse.proto.TextMsg', commonOfPush(f).msg).content;

export const textEnvelope = (to: string, content: string, seq: string, channelType = 0) =>
  commonEnvelope({ channelType, seq, target: to, msgType: MsgType.Text, msg: encode('imparse.proto.TextMsg', { content }) });

/** Sends a text through /record/push on `baseUrl`; resolves with its logId. */
export async function pushText(baseUrl: string, from: DtalkUser, to: string, content: string, channelType = 0): Promise<number> {
  const form = new FormData();
  form.append('message', new Blob([Buffer.from(textEnvelope(to, content, randomUUID(), channelType))]), 'message');
  const r = await rawPost(baseUrl, '/record/push', { 'FZM-SIGNATURE': from.token() }, form);
  if (r.body?.result !== 0) throw new Error(`/record/push failed: ${r.text}`);
  return Number(r.body.data.logId);
}

