// Which API a route belongs to, set by each dialect's plugin on its own
// routes, so each OpenAPI document lists exactly one dialect's routes however
// they are mounted (lanying and dtalk share the root with the native ops).

import type { FastifyInstance } from 'fastify';

export const documentedDialects = ['native', 'lanying', 'xim', 'legacy', 'dtalk'] as const;
export type DocumentedDialect = (typeof documentedDialects)[number];

/** A request body that is a file, as the document describes it. */
export interface FileBodyDoc {
  /** Form fields read before the file part (multipart/form-data), by name, with their meaning. */
  fields?: Readonly<Record<string, string>>;
  /** Only an HTML form is accepted (no raw bytes). */
  formOnly?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The API whose document lists this route (dialect-mark.ts). */
    dialect?: DocumentedDialect;
    /** The body is a file: raw bytes or a multipart/form-data `file` part (native uploads). */
    fileBody?: FileBodyDoc;
  }
}

/** A WebSocket route of @fastify/websocket (`websocket: true`, or a `wsHandler` beside an HTTP handler). */
export function isSocketRoute(route: object): boolean {
  const r = route as { websocket?: unknown; wsHandler?: unknown };
  return r.websocket === true || typeof r.wsHandler === 'function';
}

/** Marks every route registered in this plugin (and its children) as the dialect's. */
export function markDialect(app: FastifyInstance, dialect: DocumentedDialect): void {
  app.addHook('onRoute', (route) => {
    route.config = { ...route.config, dialect };
  });
}
