// The address clients reach Parley at, for every absolute URL it hands out
// (signed downloads, upload credentials, dtalk's object URLs, lanying's
// avatar form). Never built from the request's Host or X-Forwarded-Host
// header: anyone can send those, and Parley would sign links to a host of
// their choosing. PARLEY_PUBLIC_URL names it; unset, it is the address the
// server listens on, which is right for one machine or a private network and
// is announced with a warning otherwise (see README "Behind a proxy").

import type { FastifyInstance } from 'fastify';

export interface PublicUrl {
  /** scheme://host[:port][/prefix], no trailing slash. */
  readonly base: string;
  /** The absolute URL of a server path (`/v1/...`). */
  of(path: string): string;
  /** Called once the server listens: the fallback becomes the real address (port 0 picks one). */
  listening(url: string): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    publicUrl: PublicUrl;
  }
}

/** The listening address as a URL (wildcard hosts are kept: they are reachable from this machine). */
export function listeningUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * Decorates the root instance (so every dialect sees it) with the public
 * URL: the configured one, else the listening address, known once the server
 * listens; before that, the configured host and port.
 */
export function decoratePublicUrl(app: FastifyInstance, configured: string, fallback: { host: string; port: number }): void {
  let base = configured || listeningUrl(fallback.host, fallback.port);
  app.decorate('publicUrl', {
    get base() {
      return base;
    },
    of: (path: string) => `${base}${path}`,
    listening(url: string) {
      if (!configured) base = url;
    },
  } satisfies PublicUrl);
}
