// A dtalk socket client for tests: binary frames over `ws`, a queue of
// received frames, and helpers that build the Auth body the way clients do.

import { WebSocket } from 'ws';
import { encode } from '../../../src/http/dtalk/proto/codec.ts';
import { decodeFrame, encodeFrame, Op, type Frame } from '../../../src/http/dtalk/proto/frame.ts';

export interface LoginExt {
  device?: number;
  connType?: number;
  uuid?: string;
  deviceName?: string;
}

export function authBody(token: string, login: LoginExt = {}, appId = 'dtalk'): Uint8Array {
  return encode('im.comet.AuthMsg', { appId, token, ext: encode('imparse.proto.Login', { device: 2, connType: 0, uuid: 'pc-1', deviceName: 'test', ...login }) });
}

export class SocketClient {
  readonly ws: WebSocket;
  readonly frames: Frame[] = [];
  #waiters: (() => void)[] = [];
  closed = false;
  #closedWaiters: (() => void)[] = [];

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data: Buffer) => {
      this.frames.push(decodeFrame(data));
      for (const w of this.#waiters.splice(0)) w();
    });
    ws.on('close', () => {
      this.closed = true;
      for (const w of [...this.#waiters.splice(0), ...this.#closedWaiters.splice(0)]) w();
    });
  }

  static async connect(baseUrl: string, path = '/sub/'): Promise<SocketClient> {
    const ws = new WebSocket(new URL(path, baseUrl.replace(/^http/, 'ws')));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new SocketClient(ws);
  }

  send(f: Partial<Frame> & { op: number }): void {
    this.ws.send(encodeFrame(f));
  }

  sendRaw(bytes: Uint8Array): void {
    this.ws.send(bytes);
  }

  /** The next received frame matching `pred` (removed from the queue); rejects after `ms`. */
  async next(pred: (f: Frame) => boolean = () => true, ms = 3000): Promise<Frame> {
    const deadline = Date.now() + ms;
    for (;;) {
      const i = this.frames.findIndex(pred);
      if (i >= 0) return this.frames.splice(i, 1)[0];
      if (this.closed) throw new Error('socket closed while waiting for a frame');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for a frame');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async auth(token: string, login: LoginExt = {}): Promise<Frame> {
    this.send({ op: Op.auth, seq: 1, body: authBody(token, login) });
    return this.next((f) => f.op === Op.authReply);
  }

  /** A heartbeat round trip: every frame the server sent before its reply is in `frames` after it. */
  async roundTrip(seq = 99): Promise<void> {
    this.send({ op: Op.heartbeat, seq });
    await this.next((f) => f.op === Op.heartbeatReply && f.seq === seq);
  }

  async waitClosed(ms = 3000): Promise<void> {
    if (this.closed) return;
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('socket was not closed')), ms);
      this.#closedWaiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  close(): void {
    this.ws.close();
  }
}
