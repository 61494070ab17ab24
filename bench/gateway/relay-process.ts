// The floor for the gateway benchmarks: a bare WebSocket relay with plain
// `ws`, forked in place of Parley (BENCH_SERVER=relay in harness.ts) and
// driven by the same load generator. It speaks just enough of the gateway
// protocol for fanout.ts and idle-connections.ts: `POST /v1/groups` (members
// kept in a Map), `/v1/ws` with a bearer token (looked up, not verified),
// hello → ready, ping → pong, send → a seq, one frame built once and written
// to every member's TCP socket (corked for the turn, as Parley's
// outbound.ts does), and an ack to the sender. No storage, no rules, no
// bus: whatever Parley's figures cost beyond this is Parley's own work.
//
// Run by the benchmarks; not on its own. Needs --expose-gc (for `mem`).

import { createServer, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { textFrame } from '../../src/gateway/wire.ts';

type Request = { id: number; cmd: 'users'; n: number; prefix: string } | { id: number; cmd: 'mem' } | { id: number; cmd: 'stop' } | { id: number; cmd: 'stats' };

interface Group {
  id: number;
  members: number[];
  seq: number;
}

const users = new Map<string, number>(); // token → user id
const groups = new Map<number, Group>();
const online = new Map<number, Set<Socket>>(); // user id → raw sockets
let connections = 0;
let nextUser = 0;
let nextMessage = 0;

const userOf = (req: IncomingMessage) => users.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));

const http = createServer((req, res) => {
  const userId = userOf(req);
  if (req.method !== 'POST' || req.url !== '/v1/groups' || userId === undefined) {
    res.writeHead(404).end('{}');
    return;
  }
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (c: string) => (body += c));
  req.on('end', () => {
    const { name, memberIds } = JSON.parse(body) as { name: string; memberIds: number[] };
    const group: Group = { id: groups.size + 1, members: [userId, ...memberIds], seq: 0 };
    groups.set(group.id, group);
    res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ group: { id: group.id, name } }));
  });
});

const corked = new Set<Socket>();
const uncorkAll = () => {
  for (const s of corked) s.uncork();
  corked.clear();
};
function write(raw: Socket, wire: Buffer): void {
  if (!corked.has(raw)) {
    if (corked.size === 0) process.nextTick(uncorkAll);
    corked.add(raw);
    raw.cork();
  }
  raw.write(wire);
}

const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
http.on('upgrade', (req, socket, head) => {
  const userId = userOf(req);
  if (userId === undefined || !req.url?.startsWith('/v1/ws')) {
    socket.destroy();
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
    const raw = socket as Socket;
    raw.setNoDelay(true);
    connections++;
    let mine = online.get(userId);
    if (!mine) online.set(userId, (mine = new Set()));
    mine.add(raw);
    ws.on('close', () => {
      connections--;
      mine.delete(raw);
    });
    ws.on('message', (data: Buffer) => {
      const f = JSON.parse(data.toString('utf8')) as { type: string; ref?: string; data?: unknown; message?: { groupId: number; type: string; body: unknown } };
      if (f.type === 'hello') ws.send('{"type":"ready","conversations":{}}');
      else if (f.type === 'ping') ws.send(JSON.stringify({ type: 'pong', data: f.data }));
      else if (f.type === 'send' && f.message) {
        const group = groups.get(f.message.groupId);
        if (!group) return ws.send(JSON.stringify({ type: 'error', ref: f.ref, code: 'not_found' }));
        const seq = ++group.seq;
        // A message of about the shape and size of Parley's.
        const message = { id: ++nextMessage, conversationId: group.id, seq, groupId: group.id, senderId: userId, type: f.message.type, body: f.message.body, createdAt: new Date().toISOString() };
        const { wire } = textFrame(JSON.stringify({ type: 'message', seq, conversationId: group.id, message }));
        for (const member of group.members) for (const s of online.get(member) ?? []) write(s, wire);
        ws.send(JSON.stringify({ type: 'ack', ref: f.ref, message: { id: message.id, seq } }));
      }
    });
  });
});

await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
const port = (http.address() as { port: number }).port;
const reply = (id: number, body: unknown) => process.send!({ id, body });

process.on('message', (req: Request) => {
  void (async () => {
    switch (req.cmd) {
      case 'users': {
        const out: { id: number; token: string }[] = [];
        for (let i = 0; i < req.n; i++) {
          const id = ++nextUser;
          const token = `relay-${req.prefix}${i}-${id}`;
          users.set(token, id);
          out.push({ id, token });
        }
        return reply(req.id, out);
      }
      case 'mem':
        // V8's last-resort collection (repeated full ones) also shrinks the young generation and releases pooled pages
        // (src/heap-settling.ts): otherwise the young generation's size when asked lands in the RSS per session.
        (globalThis as { gc?: (o: object) => void }).gc?.({ type: 'major', execution: 'sync', flavor: 'last-resort' });
        await new Promise((r) => setTimeout(r, 50));
        return reply(req.id, { ...process.memoryUsage(), gateway: { connections } });
      case 'stats':
        return reply(req.id, { gateway: { connections }, cpu: process.cpuUsage() });
      case 'stop':
        for (const c of wss.clients) c.terminate();
        http.close();
        reply(req.id, 'stopped');
        process.exit(0);
    }
  })();
});

process.send!({ ready: true, url: `http://127.0.0.1:${port}` });
