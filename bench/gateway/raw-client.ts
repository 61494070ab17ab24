// A lean WebSocket client for the load generator. The benchmarks measure the
// server; with `ws` on the client side, reading 100,000 frames a second cost
// the generator more CPU than the server spent sending them, on the same two
// cores. This client does the opening handshake with node:http, then reads
// frames straight off the TCP socket (server frames are unmasked: a header
// and the payload, handed on as a view, not a copy) and writes masked text
// frames (RFC 6455 §5.3). It handles what the gateway sends: text frames,
// ping (answered), close. Not a general-purpose client.

import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import type { Socket } from 'node:net';

export interface RawSession {
  send(text: string): void;
  close(): void;
}

const OP_TEXT = 1;
const OP_CLOSE = 8;
const OP_PING = 9;
const OP_PONG = 10;

/** Connects with the token, sends hello, resolves once `ready` arrives; every later frame goes to onFrame. */
export function openRawSession(url: string, token: string, onFrame: (payload: Buffer) => void): Promise<RawSession> {
  return new Promise((resolve, reject) => {
    const u = new URL('/v1/ws', url);
    const req = request({
      host: u.hostname,
      port: u.port,
      path: u.pathname,
      headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': randomBytes(16).toString('base64'), authorization: `Bearer ${token}` },
    });
    req.on('error', reject);
    req.on('response', (res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    req.on('upgrade', (_res, socket: Socket, head: Buffer) => {
      socket.setNoDelay(true);
      let live = false;
      const session: RawSession = { send: (text) => socket.write(maskedText(text)), close: () => socket.destroy() };
      const frames = new FrameReader((op, payload) => {
        if (op === OP_TEXT) {
          if (live) return onFrame(payload);
          if (payload.includes('"type":"ready"')) {
            live = true;
            resolve(session);
          }
        } else if (op === OP_PING) socket.write(masked(OP_PONG, payload));
        else if (op === OP_CLOSE) {
          socket.destroy();
          if (!live) reject(new Error(`closed before ready: ${payload.length >= 2 ? payload.readUInt16BE(0) : ''}`));
        }
      });
      socket.on('data', (chunk: Buffer) => frames.push(chunk));
      socket.on('error', () => socket.destroy());
      if (head.length > 0) frames.push(head);
      session.send('{"type":"hello"}');
    });
    req.end();
  });
}

/** Splits a byte stream into frames; fragments are not used by the gateway. */
class FrameReader {
  #buf: Buffer = Buffer.alloc(0);
  readonly #emit: (op: number, payload: Buffer) => void;
  constructor(emit: (op: number, payload: Buffer) => void) {
    this.#emit = emit;
  }

  push(chunk: Buffer): void {
    let buf = this.#buf.length === 0 ? chunk : Buffer.concat([this.#buf, chunk]);
    let at = 0;
    for (;;) {
      if (buf.length - at < 2) break;
      const op = buf[at] & 0x0f;
      let len = buf[at + 1] & 0x7f;
      let head = 2;
      if (len === 126) {
        if (buf.length - at < 4) break;
        len = buf.readUInt16BE(at + 2);
        head = 4;
      } else if (len === 127) {
        if (buf.length - at < 10) break;
        len = buf.readUInt32BE(at + 6);
        head = 10;
      }
      if (buf.length - at < head + len) break;
      this.#emit(op, buf.subarray(at + head, at + head + len));
      at += head + len;
    }
    buf = buf.subarray(at);
    // Keep an unfinished frame (copied, so the chunk it came in can go).
    this.#buf = buf.length === 0 ? Buffer.alloc(0) : Buffer.from(buf);
  }
}

function maskedText(text: string): Buffer {
  return masked(OP_TEXT, Buffer.from(text, 'utf8'));
}

function masked(op: number, payload: Buffer): Buffer {
  const n = payload.length;
  const head = n < 126 ? 2 : n < 65_536 ? 4 : 10;
  const out = Buffer.allocUnsafe(head + 4 + n);
  out[0] = 0x80 | op;
  if (n < 126) out[1] = 0x80 | n;
  else if (n < 65_536) {
    out[1] = 0x80 | 126;
    out.writeUInt16BE(n, 2);
  } else {
    out[1] = 0x80 | 127;
    out.writeUInt32BE(0, 2);
    out.writeUInt32BE(n, 6);
  }
  const key = randomBytes(4);
  key.copy(out, head);
  for (let i = 0; i < n; i++) out[head + 4 + i] = payload[i] ^ key[i & 3];
  return out;
}
