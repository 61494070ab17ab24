// Conversation keys the UI uses in its state and its address bar:
// `g<groupId>` for a group, `u<userId>` for a private chat with a user.

import type { Message, Target } from '@parley/sdk';

export type ConvKey = `g${number}` | `u${number}`;

export const groupKey = (id: number): ConvKey => `g${id}`;
export const userKey = (id: number): ConvKey => `u${id}`;

export function targetOf(key: ConvKey): Target {
  const id = Number(key.slice(1));
  return key[0] === 'g' ? { groupId: id } : { userId: id };
}

export function parseKey(s: string): ConvKey | undefined {
  return /^[gu][0-9]{1,16}$/.test(s) ? (s as ConvKey) : undefined;
}

/** The conversation a message belongs to, seen from `me`. */
export function keyOfMessage(m: Message, me: number): ConvKey | undefined {
  if (m.kind === 'group' && m.groupId) return groupKey(m.groupId);
  const peer = m.senderId === me ? m.recipientId : m.senderId;
  return peer ? userKey(peer) : undefined;
}
