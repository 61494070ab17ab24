// The browser client: the files Vite built into web/dist (npm install runs
// the build), served at /. Any other GET for a page that no route answers
// gets index.html so the client's own addresses survive a reload, except
// under the API's and the dialects' prefixes, where a miss stays a 404.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';
import { projectRoot } from '../project-root.ts';

export const webDist = join(projectRoot, 'web', 'dist') + '/';

/** Paths that belong to the server (native API, ops, docs, dialects): never the client's. */
const serverPrefixes = [
  '/v1', '/docs', '/openapi.json', '/openapi', '/metrics', '/healthz', '/readyz',
  '/group', '/med.xim.Group', '/chat', '/app', '/record', '/oss', '/user', '/token', '/sub', '/ping', '/call', '/file',
];

const isServerPath = (path: string): boolean => serverPrefixes.some((p) => path === p || path.startsWith(`${p}/`));

/**
 * What the page may load: only its own files. Images and media also from
 * data: (the favicon) and blob: (attachments are fetched with the user's
 * token and shown from object URLs); its one connection is the same-origin
 * API and WebSocket ('self' covers ws:/wss: to the same host in CSP 3). No
 * inline script or style attribute: Preact sets styles through the CSSOM,
 * which the policy allows. Nobody may frame it (clickjacking), and no
 * Referer leaves it (signed download URLs carry their signature in the query).
 */
export const pageSecurityHeaders: Readonly<Record<string, string>> = {
  'content-security-policy': [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; '),
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

export interface WebOptions {
  /** How a miss that is not a page is answered (in the envelope of the dialect whose path it is). */
  notFound: (req: FastifyRequest, reply: FastifyReply) => unknown;
}

async function web(app: FastifyInstance, opts: WebOptions): Promise<void> {
  const { notFound } = opts;
  if (!existsSync(`${webDist}index.html`)) {
    app.log.warn({ dir: webDist }, 'the web client is not built (npm run build:web); / serves nothing');
    app.setNotFoundHandler(notFound);
    return;
  }
  await app.register(fastifyStatic, {
    root: webDist,
    wildcard: false,
    // Hashed asset names never change content; the page itself must be re-read to pick up a new build.
    setHeaders: (res, path) => {
      for (const [name, value] of Object.entries(pageSecurityHeaders)) res.header(name, value);
      res.header('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
    schemaHide: true,
  });
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0];
    const wantsPage = (req.method === 'GET' || req.method === 'HEAD') && (req.headers.accept ?? '').includes('text/html');
    if (!wantsPage || isServerPath(path)) return notFound(req, reply);
    reply.headers(pageSecurityHeaders).header('cache-control', 'no-cache');
    return reply.sendFile('index.html');
  });
}

/** Registered at the root (not encapsulated) so its not-found handler covers every unmatched path. */
export const webClient = fp(web, { name: 'parley-web' });
