// Every route of every API Parley serves, as one list the fuzz suite walks:
// the native API from its own OpenAPI document (GET /openapi.json), the
// lanying, xim, legacy and dtalk routes from the committed facts of their
// documents (test/fixtures/api), each with the fields it takes and where.

import { dtalkRoutes, lanyingRequests, lanyingSdkExtras, legacyRequests, ximRequests, allSpecRoutes, type SpecRoute } from '../spec-routes.ts';

export type Dialect = 'native' | 'lanying' | 'xim' | 'legacy' | 'dtalk';
export type Where = 'path' | 'query' | 'body';
/** What a field holds, coarsely: enough to make a valid value and a wrong one. */
export type Kind = 'int' | 'string' | 'bool' | 'list' | 'object';

export interface Field {
  name: string;
  where: Where;
  kind: Kind;
  /** Allowed values, when the document enumerates them. */
  choices?: readonly unknown[];
}

export interface Route {
  dialect: Dialect;
  method: string;
  /** With `{name}` placeholders for path fields. */
  path: string;
  fields: Field[];
  /** How a well-formed request sends its body. */
  body: 'json' | 'form' | 'multipart' | 'raw' | 'none';
  /** Needs no credentials (the document says `security: []`): the operator endpoints, sign-in. */
  open?: boolean;
}

export const kindOf = (docType: string): Kind => {
  const t = docType.toLowerCase();
  if (/^\[\]|array|多个/.test(t)) return 'list';
  if (/^int|^uint|^integer$|^number$|^id$/.test(t)) return 'int';
  if (/bool/.test(t)) return 'bool';
  if (/^object$/.test(t)) return 'object';
  return 'string';
};

/** Lanying routes the document does not list but the server serves (the web SDK's own, the avatar form). */
const LANYING_EXTRA_FIELDS: Record<string, Field[]> = {
  'POST /group/msg/not_disturb': [{ name: 'group_id', where: 'body', kind: 'int' }, { name: 'value', where: 'body', kind: 'bool' }],
  'POST /group/settings/hide_member_info': [{ name: 'group_id', where: 'body', kind: 'int' }, { name: 'value', where: 'body', kind: 'bool' }],
  'GET /app/qrcode/group_sign': [{ name: 'group_id', where: 'query', kind: 'int' }],
  'GET /app/qrcode/group_invite': [{ name: 'qr_info', where: 'query', kind: 'string' }],
  'POST /user/register/v2': [{ name: 'username', where: 'body', kind: 'string' }, { name: 'password', where: 'body', kind: 'string' }],
  'POST /token/user': [{ name: 'name', where: 'body', kind: 'string' }, { name: 'password', where: 'body', kind: 'string' }],
  'POST /token/id': [{ name: 'user_id', where: 'body', kind: 'int' }, { name: 'password', where: 'body', kind: 'string' }],
  'POST /token/login': [{ name: 'login_name', where: 'body', kind: 'string' }, { name: 'password', where: 'body', kind: 'string' }],
  'GET /file/upload/avatar/group': [{ name: 'group_id', where: 'query', kind: 'int' }],
};

function fromSpec(r: SpecRoute): Route {
  const key = `${r.method} ${r.path}`;
  if (r.dialect === 'legacy') {
    return { dialect: 'legacy', method: r.method, path: r.path, body: 'form', fields: (legacyRequests().get(key) ?? []).map((name) => ({ name, where: 'body', kind: /Id$|Time$/.test(name) ? 'int' : 'string' })) };
  }
  const req = r.dialect === 'xim' ? ximRequests().get(key) : lanyingRequests().get(key);
  const fields: Field[] = [];
  for (const [name, t] of Object.entries(req?.query ?? {})) fields.push({ name, where: 'query', kind: kindOf(t) });
  for (const [name, t] of Object.entries(req?.body ?? {})) fields.push({ name, where: r.method === 'GET' ? 'query' : 'body', kind: kindOf(t) });
  return { dialect: r.dialect, method: r.method, path: r.path, body: r.method === 'GET' ? 'none' : 'json', fields };
}

/** The dtalk routes whose well-formed body is multipart/form-data (a file or a protobuf message part). */
const DTALK_MULTIPART = new Set(['/record/push', '/record/push2', '/oss/upload', '/oss/upload-part']);
/** The call routes the original also serves under /call. */
const DTALK_CALL_ALIASES = /^\/app\/(start-call|reply-busy|check-call|handle-call)$/;

export function dialectRoutes(): Route[] {
  const out: Route[] = [...allSpecRoutes(), ...lanyingSdkExtras].map(fromSpec);
  out.push({ dialect: 'lanying', method: 'GET', path: '/file/upload/avatar/group', body: 'none', fields: [] });
  for (const r of out) {
    const extra = LANYING_EXTRA_FIELDS[`${r.method} ${r.path}`];
    if (r.dialect === 'lanying' && extra && r.fields.length === 0) r.fields = extra;
  }
  for (const d of dtalkRoutes()) {
    const fields: Field[] = d.request.map((f) => ({ name: f.name, where: 'body', kind: kindOf(f.type) }));
    if (DTALK_MULTIPART.has(d.path)) fields.push({ name: d.path.startsWith('/record') ? 'message' : 'file', where: 'body', kind: 'string' });
    for (const path of DTALK_CALL_ALIASES.test(d.path) ? [d.path, `/call${d.path}`] : [d.path]) {
      out.push({ dialect: 'dtalk', method: 'POST', path, body: DTALK_MULTIPART.has(d.path) ? 'multipart' : 'json', fields });
    }
  }
  return out;
}

interface OpenApiSchema {
  type?: string | string[];
  enum?: unknown[];
  anyOf?: OpenApiSchema[];
  properties?: Record<string, OpenApiSchema>;
}
interface OpenApiOperation {
  security?: unknown[];
  parameters?: { in: string; name: string; schema?: OpenApiSchema }[];
  requestBody?: { content?: Record<string, { schema?: OpenApiSchema }> };
}

function schemaKind(s: OpenApiSchema | undefined): { kind: Kind; choices?: unknown[] } {
  if (!s) return { kind: 'string' };
  if (s.anyOf) {
    const consts = s.anyOf.flatMap((a) => a.enum ?? []);
    if (consts.length === s.anyOf.length) return { kind: 'string', choices: consts };
    return schemaKind(s.anyOf[0]);
  }
  if (s.enum) return { kind: 'string', choices: s.enum };
  const t = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
  const kinds: Record<string, Kind> = { integer: 'int', number: 'int', boolean: 'bool', array: 'list', object: 'object' };
  return { kind: (t && kinds[t]) || 'string' };
}

/** The native API's routes, read from the server's own OpenAPI document. */
export function nativeRoutes(doc: { paths: Record<string, Record<string, OpenApiOperation>> }): Route[] {
  const out: Route[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const fields: Field[] = (op.parameters ?? []).filter((p) => p.in === 'path' || p.in === 'query').map((p) => ({ name: p.name, where: p.in as Where, ...schemaKind(p.schema) }));
      const json = op.requestBody?.content?.['application/json']?.schema;
      for (const [name, s] of Object.entries(json?.properties ?? {})) fields.push({ name, where: 'body', ...schemaKind(s) });
      // Upload routes document no JSON body: their body is the file itself.
      const raw = !json && /\/files$|\/parts\/|\/uploads\/direct$/.test(path) && method !== 'get';
      const open = Array.isArray(op.security) && op.security.length === 0;
      out.push({ dialect: 'native', method: method.toUpperCase(), path, fields, body: json ? 'json' : raw ? 'raw' : 'none', ...(open ? { open } : {}) });
    }
  }
  return out;
}
