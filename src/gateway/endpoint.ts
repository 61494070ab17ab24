// The WebSocket endpoint: GET /v1/ws upgraded by @fastify/websocket (which
// app.ts registers for every dialect that serves a socket). The token comes
// from `Authorization: Bearer <token>` or, for browsers, which cannot set
// headers on a WebSocket, from `?token=`. Authentication happens after the
// upgrade so that a browser learns why it was refused from the close code.

import type { FastifyRequest } from 'fastify';
import type { NativeApp } from '../http/native/plugin.ts';
import { bearer } from '../http/native/auth.ts';
import type { GatewayNode } from './node.ts';

export const WS_PATH = '/ws';

export function gatewayRoutes(node: GatewayNode) {
  return (app: NativeApp): void => {
    app.get(WS_PATH, { websocket: true, schema: { hide: true } }, (socket, req) => node.accept(socket, tokenOf(req)));
  };
}

function tokenOf(req: FastifyRequest): string | undefined {
  const fromHeader = bearer(req);
  if (fromHeader) return fromHeader;
  const q = (req.query as Record<string, unknown> | undefined)?.token;
  return typeof q === 'string' && q.length > 0 ? q : undefined;
}
