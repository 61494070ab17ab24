// The WebSocket endpoint: GET /v1/ws upgraded by @fastify/websocket (which
// app.ts registers for every dialect that serves a socket), handed to the
// gateway node. It lives with the native routes (http depends on the gateway,
// never the reverse). The token comes
// from `Authorization: Bearer <token>` or, for browsers, which cannot set
// headers on a WebSocket, from `?token=`. Authentication happens after the
// upgrade so that a browser learns why it was refused from the close code.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayNode } from '../../../gateway/node.ts';
import type { NativeApp } from '../plugin.ts';
import { bearer } from '../auth.ts';
import { fail } from '../../../core/errors.ts';

export const WS_PATH = '/ws';

// Documented, not validated: a bad token is told after the upgrade, by the close code.
const SOCKET = {
  tags: ['socket'],
  summary: 'Open the WebSocket (live messages and events; see docs/websocket.md)',
  description: 'An HTTP upgrade to WebSocket. The token is `Authorization: Bearer <token>` or, from a browser, the `token` query parameter; a refused token closes the socket with a close code that says why.',
};

export function gatewayRoutes(node: GatewayNode) {
  return (app: NativeApp): void => {
    // The upgrade's response object, by request: the websocket handler is not
    // given the reply, so the route's onRequest hook hands it over.
    const upgrades = new WeakMap<IncomingMessage, ServerResponse>();
    const keepResponse = async (req: FastifyRequest, reply: FastifyReply) => {
      // A stopping server refuses the upgrade itself, before it happens: a
      // proxy (deploy/nginx/parley.conf) passes a 503 to the next node, so a
      // client told to move (1001) lands elsewhere at its first attempt.
      if (node.draining) return reply.code(503).header('retry-after', '1').send({ error: { code: 'server_draining', message: 'this server is stopping: connect again, another server takes the session' } });
      upgrades.set(req.raw, reply.raw);
    };
    app.route({
      method: 'GET',
      url: WS_PATH,
      schema: SOCKET,
      onRequest: keepResponse,
      // A plain GET (no upgrade) is told what this address is, in the native envelope.
      handler: async () => {
        throw fail('invalid_argument', `${WS_PATH} takes a WebSocket upgrade (Connection: Upgrade, Upgrade: websocket)`);
      },
      wsHandler: (socket, req) => {
        const raw = req.raw.socket;
        // Let the HTTP request go: the upgrade's response object (and through
        // it the request) would otherwise live as long as the socket, a few KiB
        // per idle connection. detachSocket is ServerResponse's own method (not
        // the private _httpMessage field). The plugin's error listener holds
        // them too; the node installs its own.
        upgrades.get(req.raw)?.detachSocket(raw);
        upgrades.delete(req.raw);
        socket.removeAllListeners('error');
        node.accept(socket, tokenOf(req), raw);
      },
    });
  };
}

function tokenOf(req: FastifyRequest): string | undefined {
  const fromHeader = bearer(req);
  if (fromHeader) return fromHeader;
  const q = (req.query as Record<string, unknown> | undefined)?.token;
  return typeof q === 'string' && q.length > 0 ? q : undefined;
}
