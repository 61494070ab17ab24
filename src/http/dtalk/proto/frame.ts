// The comet socket frame (txchat/im v0.1.0 `api/protocol/protocol.go`, read
// as described in the original's source "Socket gateway"): a 20-byte big-endian
// header — packLen int32 (header + body), headerLen int16 (always 20),
// ver int16, op int32, seq int32, ack int32 — then the body. One frame per
// WebSocket binary message.

export const HEADER_SIZE = 20;
/** Largest body the original accepts; a larger frame drops the connection. */
export const MAX_BODY = 16_384;

export const Op = {
  auth: 1,
  authReply: 2,
  heartbeat: 3,
  heartbeatReply: 4,
  disconnect: 5,
  disconnectReply: 6,
  sendMsg: 7,
  sendMsgReply: 8,
  receiveMsg: 9,
  receiveMsgReply: 10,
  protoReady: 11,
  protoFinish: 12,
  raw: 13,
  syncMsgReq: 14,
  syncMsgReply: 15,
  rePush: 16,
} as const;

export interface Frame {
  ver: number;
  op: number;
  seq: number;
  ack: number;
  body: Uint8Array;
}

export class FrameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FrameError';
  }
}

export function encodeFrame(f: Partial<Frame> & { op: number }): Buffer {
  const body = f.body ?? new Uint8Array(0);
  const out = Buffer.allocUnsafe(HEADER_SIZE + body.length);
  out.writeInt32BE(HEADER_SIZE + body.length, 0);
  out.writeInt16BE(HEADER_SIZE, 4);
  out.writeInt16BE(f.ver ?? 1, 6);
  out.writeInt32BE(f.op, 8);
  out.writeInt32BE(f.seq ?? 0, 12);
  out.writeInt32BE(f.ack ?? 0, 16);
  out.set(body, HEADER_SIZE);
  return out;
}

/** Parses one frame; throws FrameError on anything the original would drop the connection for. */
export function decodeFrame(data: Uint8Array): Frame {
  if (data.length < HEADER_SIZE) throw new FrameError(`frame shorter than the ${HEADER_SIZE}-byte header`);
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const packLen = buf.readInt32BE(0);
  const headerLen = buf.readInt16BE(4);
  if (headerLen !== HEADER_SIZE) throw new FrameError(`header length ${headerLen}, expected ${HEADER_SIZE}`);
  if (packLen < HEADER_SIZE || packLen > data.length) throw new FrameError(`pack length ${packLen} does not match the ${data.length} bytes received`);
  if (packLen - HEADER_SIZE > MAX_BODY) throw new FrameError(`body of ${packLen - HEADER_SIZE} bytes exceeds ${MAX_BODY}`);
  return {
    ver: buf.readInt16BE(6),
    op: buf.readInt32BE(8),
    seq: buf.readInt32BE(12),
    ack: buf.readInt32BE(16),
    body: Uint8Array.prototype.slice.call(buf, HEADER_SIZE, packLen),
  };
}
