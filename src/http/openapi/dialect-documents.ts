// The OpenAPI document of each dialect: who it is for, how it authenticates,
// its envelope, and per route the schemas the route validates with (the
// dtalk routes describe their go-zero request structs, which the router
// binds with). Routes of other dialects are left out.

import type { FastifySchema, RouteOptions } from 'fastify';
import { dtalkOperation } from '../dtalk/openapi.ts';
import { described } from './native-document.ts';
import { isSocketRoute, type DocumentedDialect } from './dialect-mark.ts';

type ApiKey = { type: 'apiKey'; in: 'header'; name: string; description: string };
const header = (name: string, description: string): ApiKey => ({ type: 'apiKey', in: 'header', name, description });

export interface DialectDocument {
  title: string;
  description: string;
  securitySchemes: Record<string, unknown>;
  security: Record<string, string[]>[];
  /** The envelope every answer has, for routes whose schema names no response. */
  envelope: { description: string; schema: Record<string, unknown> };
  /** Request bodies as this dialect reads them. */
  consumes?: string[];
}

const anyData = {};

export const dialectDocuments: Record<Exclude<DocumentedDialect, 'native'>, DialectDocument> = {
  lanying: {
    title: 'Parley: Lanying IM group API',
    description:
      "Lanying IM's server REST API as Parley serves it, at the original paths. Every answer is `{code, data, message}`; business errors are HTTP 200 too, with `code` other than 200 (10002 for a request that fails validation). Headers: `app_id` on every call, `access-token` on all but sign-in and sign-up; an app-admin token names the user it acts as in `user_id`.",
    securitySchemes: {
      appId: header('app_id', 'The app id'),
      accessToken: header('access-token', 'A user token, or an app-admin token with header user_id'),
    },
    security: [{ appId: [], accessToken: [] }],
    envelope: {
      description: 'The envelope: `code` 200 and `data` on success; a business error has another `code`, `message` and `data` null (still HTTP 200)',
      schema: { type: 'object', properties: { code: { type: 'integer' }, data: anyData, message: { type: ['string', 'null'] } }, required: ['code'] },
    },
  },
  xim: {
    title: 'Parley: med.xim.Group API',
    description:
      "Medlinker's med.xim.Group methods as Parley serves them, under /med.xim.Group: GET with the fields in the query. Every call needs the app-admin token (`Authorization: Bearer`). Every answer is `{code, errcode, message, errmsg, data}`: 0/`ok` on success, a business error is HTTP 200 with the code in `code` and `errcode`.",
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'The app-admin token' } },
    security: [{ bearer: [] }],
    envelope: {
      description: 'The envelope: `code` 0 on success; a business error has another `code` (also in `errcode`) and its text in `message`/`errmsg` (still HTTP 200)',
      schema: { type: 'object', properties: { code: { type: 'integer' }, errcode: { type: 'integer' }, message: { type: 'string' }, errmsg: { type: 'string' }, data: anyData }, required: ['code', 'errcode', 'message', 'errmsg'] },
    },
  },
  legacy: {
    title: 'Parley: Struts group API (legacy)',
    description:
      'The Struts group actions as Parley serves them, under /chat: POST with `data` as form fields or JSON (also a `data` field holding the object or its JSON text, or the query). Every request carries the headers `uid`, `accessToken`, `client` and `expire` (ms epoch), and every answer echoes them. Answers are `{success, info, ...}`, always HTTP 200; a failure has `success` false, the reason in `info` and Parley\'s error code in `code`.',
    securitySchemes: {
      uid: header('uid', 'The user id'),
      accessToken: header('accessToken', "The user's token (an app-admin token acts as uid)"),
      client: header('client', 'The client name (1 to 128 characters)'),
      expire: header('expire', 'When the session ends, in ms since the epoch'),
    },
    security: [{ uid: [], accessToken: [], client: [], expire: [] }],
    envelope: {
      description: 'The answer: `success` true with the `info` text and the action\'s lists; on failure `success` false, the reason in `info` and the error code in `code` (still HTTP 200)',
      schema: { type: 'object', properties: { success: { type: 'boolean' }, info: { type: 'string' }, code: { type: 'string' } }, required: ['success', 'info'] },
    },
    consumes: ['application/x-www-form-urlencoded', 'application/json'],
  },
  dtalk: {
    title: 'Parley: dtalk app API',
    description:
      "The dtalk app API as Parley serves it, at the original paths: every call is a POST, with a JSON body (bound as go-zero binds it: a field not marked optional must be present) or a multipart form for uploads and message pushes. Messages travel as protobuf (`application/x-protobuf`, the message named in each operation). Authenticate with the `FZM-SIGNATURE` header. Every answer is `{result, message, data}`, HTTP 200: `result` 0 on success, a dtalk error code otherwise (-1012 with go-zero's text in `data` for a request that does not bind).",
    securitySchemes: { signature: header('FZM-SIGNATURE', 'The signed request header of the dtalk clients') },
    security: [{ signature: [] }],
    envelope: {
      description: 'The envelope: `result` 0 and `data` on success; a dtalk error code and its `message` otherwise (still HTTP 200)',
      schema: { type: 'object', properties: { result: { type: 'integer' }, message: { type: 'string' }, data: anyData }, required: ['result', 'message'] },
    },
  },
};

/** The document's view of one dialect route: the route's own schemas, the envelope where it names no response. */
export function dialectOperation(dialect: Exclude<DocumentedDialect, 'native'>, schema: FastifySchema | undefined, url: string, route: RouteOptions): { schema: FastifySchema; url: string } {
  const doc = dialectDocuments[dialect];
  const s: FastifySchema = dialect === 'dtalk' ? dtalkOperation(route, schema) : { ...schema };
  const method = Array.isArray(route.method) ? String(route.method[0]) : String(route.method);
  if (isSocketRoute(route)) {
    s.summary ??= 'Open the WebSocket (an HTTP upgrade)';
    s.response = { 101: { type: 'null', description: 'Switching Protocols: the WebSocket is open' } };
    return { schema: s, url };
  }
  if (method === 'OPTIONS') {
    s.summary ??= 'CORS preflight';
    s.response = { 204: { type: 'null', description: 'No content, with the CORS headers (as the original\'s front answers every OPTIONS)' } };
    s.security = [];
    return { schema: s, url };
  }
  const responses: Record<string, unknown> = { ...(s.response as Record<string, unknown> | undefined) };
  if (Object.keys(responses).length === 0) responses[200] = { ...doc.envelope.schema, description: doc.envelope.description };
  for (const [status, r] of Object.entries(responses)) responses[status] = described(r, status === '200' ? doc.envelope.description : `Status ${status}`);
  s.response = responses;
  if (s.body && doc.consumes && !s.consumes) s.consumes = doc.consumes;
  if (dialect === 'lanying' && route.config?.lanyingPublic) s.security = [{ appId: [] }];
  return { schema: s, url };
}
