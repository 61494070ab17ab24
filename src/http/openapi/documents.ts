// The OpenAPI documents: /openapi.json for the native API (with the operator
// endpoints), and /openapi/<dialect>.json for lanying, xim, legacy and dtalk,
// each built by its own @fastify/swagger instance from the schemas the
// routes validate with, and all selectable in /docs.

import type { FastifyInstance, FastifySchema, RouteOptions } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { dialectDocuments, dialectOperation } from './dialect-documents.ts';
import { documentedDialects, isSocketRoute, type DocumentedDialect } from './dialect-mark.ts';
import { nativeOperation } from './native-document.ts';
import { pruneUnusedSchemas } from './prune.ts';

type Document = Record<string, unknown>;

/** Where each document is served. */
export const documentUrl = (dialect: DocumentedDialect): string => (dialect === 'native' ? '/openapi.json' : `/openapi/${dialect}.json`);

const decoratorOf = (dialect: DocumentedDialect) => (dialect === 'native' ? 'swagger' : `${dialect}Openapi`);

// Shared schemas are named by their $id (`User`, `Message`) instead of `def-N`.
const refResolver = {
  buildLocalReference(json: Record<string, unknown>, _base: unknown, _fragment: unknown, i: number): string {
    return typeof json.$id === 'string' ? json.$id : `def-${i}`;
  },
};

const hidden = (schema: FastifySchema | undefined, url: string) => ({ schema: { ...schema, hide: true }, url });

function transformFor(dialect: DocumentedDialect) {
  return ({ schema, url, route }: { schema: FastifySchema; url: string; route: RouteOptions }) => {
    // @fastify/websocket hides every socket route; the documents list them (as the upgrade they are).
    const socket = isSocketRoute(route);
    if (route.config?.dialect !== dialect || (schema?.hide && !socket)) return hidden(schema, url);
    const shown = { ...schema, hide: false };
    return dialect === 'native' ? nativeOperation(shown, url, route) : dialectOperation(dialect, shown, url, route);
  };
}

function openapiOf(dialect: DocumentedDialect) {
  if (dialect === 'native') {
    return {
      openapi: '3.1.0',
      info: { title: 'Parley native API', version: '1', description: "Parley's own HTTP API under /v1, and the operator endpoints /healthz, /readyz and /metrics. Authenticate with `Authorization: Bearer <token>`. Errors are `{error: {code, message, details}}`; each operation lists the codes it can answer." },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    };
  }
  const d = dialectDocuments[dialect];
  return { openapi: '3.1.0', info: { title: d.title, version: '1', description: d.description }, components: { securitySchemes: d.securitySchemes }, security: d.security };
}

export interface ServedRoute {
  method: string;
  url: string;
  dialect: DocumentedDialect;
}

/** Every route of a server, as registered (the dialect's mark lands after the root's hook has seen it). */
const registered = new WeakMap<FastifyInstance, RouteOptions[]>();

/** Every route a dialect marked: what its document must list (test/http/openapi.test.ts walks it). */
export function servedRoutes(app: FastifyInstance): ServedRoute[] {
  return (registered.get(app) ?? []).flatMap((route) => {
    const dialect = route.config?.dialect;
    return dialect ? [route.method].flat().map((method) => ({ method: String(method), url: route.url, dialect })) : [];
  });
}

/** Registers the five document builders (before any route, so each sees every route). */
export async function registerDocuments(app: FastifyInstance, opts: { ui: boolean }): Promise<void> {
  const routes: RouteOptions[] = [];
  registered.set(app, routes);
  app.addHook('onRoute', (route) => void routes.push(route));
  for (const dialect of documentedDialects) {
    await app.register(swagger, {
      decorator: decoratorOf(dialect),
      openapi: openapiOf(dialect),
      refResolver,
      transform: transformFor(dialect),
      transformObject: ({ openapiObject }: { openapiObject: Document }) => pruneUnusedSchemas(openapiObject),
    } as Parameters<typeof swagger>[1]);
  }
  if (opts.ui) {
    const urls = documentedDialects.map((d) => ({ url: documentUrl(d), name: d }));
    await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { urls, 'urls.primaryName': 'native' } as Record<string, unknown> });
  }
  for (const dialect of documentedDialects) {
    const build = (app as unknown as Record<string, () => Document>)[decoratorOf(dialect)];
    app.get(documentUrl(dialect), { schema: { hide: true } }, async () => build.call(app));
  }
  app.get('/openapi/native.json', { schema: { hide: true } }, async () => app.swagger());
}
