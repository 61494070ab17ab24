// What travels on the bus: a small routing header and the frame clients get,
// already encoded. The bridge encodes a committed event once; every node
// decodes the header once per arrival and hands the same frame bytes to each
// of its interested sessions, so a fan-out never re-encodes per recipient.
//
//   <header JSON>\n<frame JSON, or nothing for control-only envelopes>[\n<variant frame JSON>]
//
// The variant (header `l`: [conversation, time]) is the frame for members of
// that group conversation who joined after that time: a reply whose quote
// they may not read. JSON text holds no raw newline.

import { textFrame } from './wire.ts';

/** What a node does besides pushing the frame. */
export type Control =
  /** Close the sessions authenticated with this token. */
  | { t: 'revoke'; token: number }
  /**
   * The topic's user (or, on a group topic, everyone) joined (true) or left
   * (false) group `g` at time `at`: (un)subscribe their sessions.
   */
  | { t: 'member'; g: number; on: boolean; at?: number };

export interface Header {
  /** Unique per published event: sessions drop an event that reached them by two topics. */
  i: string;
  /** Conversation and seq of a message: ordered and de-duplicated per conversation. */
  c?: string;
  s?: number;
  x?: Control;
  /** 1: ephemeral (typing, presence): never ordered or replayed, the first thing dropped for a slow client. */
  e?: 1;
  /** The user an ephemeral signal is about: their own sessions do not get it. */
  f?: number;
  /** Members of this conversation who joined after this time get the variant frame (see above). */
  l?: [string, number];
}

export interface Delivery {
  id: string;
  conversation?: string;
  seq?: number;
  control?: Control;
  /** Typing or presence: delivered only live, dropped first when the client is behind. */
  ephemeral?: boolean;
  /** The user an ephemeral signal is about. */
  from?: number;
  /** The frame for clients, shared by every session it goes to; absent for control-only. */
  data?: Buffer;
  /** The same frame as WebSocket wire bytes (header + data), framed once for every socket. */
  wire?: Buffer;
  /** The frame for members of `conversation` who joined after `joinedAfter` (a quote hidden from them). */
  forLaterMembers?: { conversation: string; joinedAfter: number; data: Buffer; wire: Buffer };
}

export function encodeEnvelope(header: Header, frame: string, laterMembersFrame?: string): string {
  return laterMembersFrame === undefined || header.l === undefined ? `${JSON.stringify(header)}\n${frame}` : `${JSON.stringify(header)}\n${frame}\n${laterMembersFrame}`;
}

/** Undefined for a payload that is not an envelope (another cluster sharing the broker, a bug). */
export function decodeEnvelope(payload: string): Delivery | undefined {
  const nl = payload.indexOf('\n');
  if (nl < 0) return undefined;
  let h: Header;
  try {
    h = JSON.parse(payload.slice(0, nl)) as Header;
  } catch {
    return undefined;
  }
  if (typeof h !== 'object' || h === null || typeof h.i !== 'string') return undefined;
  const d: Delivery = { id: h.i };
  if (typeof h.c === 'string' && typeof h.s === 'number') {
    d.conversation = h.c;
    d.seq = h.s;
  }
  if (h.x) d.control = h.x;
  if (h.e === 1) {
    d.ephemeral = true;
    if (typeof h.f === 'number') d.from = h.f;
  }
  if (nl + 1 < payload.length) {
    const later = Array.isArray(h.l) && typeof h.l[0] === 'string' && typeof h.l[1] === 'number' ? h.l : undefined;
    const second = later ? payload.indexOf('\n', nl + 1) : -1;
    const { wire, payload: data } = textFrame(payload.slice(nl + 1, second < 0 ? undefined : second));
    d.wire = wire;
    d.data = data;
    if (later && second >= 0) {
      const variant = textFrame(payload.slice(second + 1));
      d.forLaterMembers = { conversation: later[0], joinedAfter: later[1], data: variant.payload, wire: variant.wire };
    }
  }
  return d;
}

/** Topic names on the bus, under the cluster's prefix. */
export class Topics {
  readonly #prefix: string;
  constructor(prefix: string) {
    this.#prefix = prefix;
  }
  user(userId: number): string {
    return `${this.#prefix}.u.${userId}`;
  }
  group(groupId: number): string {
    return `${this.#prefix}.g.${groupId}`;
  }
}
