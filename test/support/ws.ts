// A WebSocket test client (the real `ws` client) for the gateway protocol:
// every frame is queued, `next(type)` waits for the next frame of a type.

import WebSocket from 'ws';

export interface Frame {
  type: string;
  [k: string]: any;
}

export interface WsClient {
  ws: WebSocket;
  frames: Frame[];
  /** Resolves with the next unread frame (of `type`, when given), skipping nothing else. */
  next(type?: string, ms?: number): Promise<Frame>;
  send(frame: unknown): void;
  /** Resolves with the close code and reason once closed. */
  closed: Promise<{ code: number; reason: string }>;
  close(): Promise<void>;
}

export async function connectWs(base: string, token: string | undefined, opts: { via?: 'header' | 'query'; path?: string } = {}): Promise<WsClient> {
  const url = new URL(opts.path ?? '/v1/ws', base.replace(/^http/, 'ws'));
  const headers: Record<string, string> = {};
  if (token && opts.via === 'query') url.searchParams.set('token', token);
  else if (token) headers.authorization = `Bearer ${token}`;
  const ws = new WebSocket(url, { headers });
  const frames: Frame[] = [];
  let read = 0;
  let wake: (() => void) | undefined;
  ws.on('message', (data) => {
    frames.push(JSON.parse(data.toString()) as Frame);
    wake?.();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => {
      resolve({ code, reason: reason.toString() });
      wake?.();
    }),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  ws.on('error', () => {});
  const client: WsClient = {
    ws,
    frames,
    closed,
    async next(type?: string, ms = 5000) {
      const deadline = Date.now() + ms;
      for (;;) {
        while (read < frames.length) {
          const f = frames[read++];
          if (!type || f.type === type) return f;
        }
        if (ws.readyState === WebSocket.CLOSED) throw new Error(`socket closed while waiting for ${type ?? 'a frame'}`);
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no ${type ?? 'frame'} within ${ms} ms; got ${JSON.stringify(frames.slice(-5))}`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, left);
          wake = () => {
            clearTimeout(t);
            wake = undefined;
            resolve();
          };
        });
      }
    },
    send(frame: unknown) {
      ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
    },
    async close() {
      if (ws.readyState !== WebSocket.CLOSED) {
        ws.close();
        await closed;
      }
    },
  };
  return client;
}

/** Connects, says hello (optionally with positions) and waits for ready. */
export async function online(base: string, token: string, positions?: Record<string, number>): Promise<WsClient> {
  const c = await connectWs(base, token);
  await c.next('welcome');
  c.send(positions ? { type: 'hello', positions } : { type: 'hello' });
  await c.next('ready');
  return c;
}
