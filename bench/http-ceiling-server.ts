// The reference for bench/http-send.ts: a bare Fastify server with the send
// route's shape (JSON body parsed, 201 with a message-sized JSON answer) that
// stores nothing, checks nothing and encodes nothing else. What it serves
// with autocannon beside it on this machine is the most any Node HTTP
// server doing real work per request can approach here.

import Fastify from 'fastify';

const app = Fastify();
let seq = 0;
app.post<{ Params: { groupId: string }; Body: { type: string; body: unknown } }>('/v1/groups/:groupId/messages', async (req, reply) => {
  seq += 1;
  reply.code(201);
  return { id: seq, groupId: Number(req.params.groupId), seq, type: req.body.type, body: req.body.body, createdAt: Date.now() };
});
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
process.stdout.write(JSON.stringify({ url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` }) + '\n');
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
