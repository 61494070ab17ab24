// Reads the route tables out of the API documents themselves, so a test can
// prove every documented route and verb is served: nothing can be forgotten.
// CI checks the repository out with shared/ beside it (../shared/spec).

import { existsSync, readFileSync } from 'node:fs';

/**
 * ../shared/spec beside the repository (CI's layout); a worktree nested deeper
 * finds it further up, so the nearest ancestor holding shared/spec wins.
 */
function findSpecDir(): URL {
  const env = process.env.PARLEY_SPEC_DIR;
  if (env) return new URL(`file://${env.endsWith('/') ? env : `${env}/`}`);
  for (let up = '../../../'; up.length < 3 * 12; up += '../') {
    const dir = new URL(`${up}shared/spec/`, import.meta.url);
    if (existsSync(new URL('lanying-group-api.md', dir))) return dir;
  }
  throw new Error('shared/spec not found beside the repository (set PARLEY_SPEC_DIR)');
}

export const specDir = findSpecDir();

export interface SpecRoute {
  dialect: 'lanying' | 'xim' | 'legacy';
  /** The section of the document that defines it. */
  section: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
}

const read = (name: string) => readFileSync(new URL(name, specDir), 'utf8');

/** lanying-group-api.md: `## 4.N title{#anchor}` then one `> VERB /path` line per verb. */
export function lanyingRoutes(): SpecRoute[] {
  const out: SpecRoute[] = [];
  let section = '';
  for (const line of read('lanying-group-api.md').split('\n')) {
    const h = /^## (\d+\.\d+)\s/.exec(line);
    if (h) section = h[1];
    const r = /^> (GET|POST|PUT|DELETE) (\/\S+)\s*$/.exec(line);
    if (r && section) out.push({ dialect: 'lanying', section, method: r[1] as SpecRoute['method'], path: r[2] });
  }
  return out;
}

/** xim-group-api.md: `## GET /med.xim.Group/Method`. */
export function ximRoutes(): SpecRoute[] {
  const out: SpecRoute[] = [];
  for (const line of read('xim-group-api.md').split('\n')) {
    const r = /^## (GET|POST) (\/med\.xim\.Group\/\w+)\s*$/.exec(line);
    if (r) out.push({ dialect: 'xim', section: r[2].split('/').pop() ?? '', method: r[1] as SpecRoute['method'], path: r[2] });
  }
  return out;
}

/** legacy-group-api.md: `### N.title`, `url: http://website/chat/...`, `method: post`. */
export function legacyRoutes(): SpecRoute[] {
  const out: SpecRoute[] = [];
  let section = '';
  let path = '';
  for (const line of read('legacy-group-api.md').split('\n')) {
    const h = /^### (\d+)\./.exec(line);
    if (h) section = h[1];
    const u = /^url:\s*https?:\/\/website(\/\S+)\s*$/.exec(line);
    if (u) path = u[1];
    const m = /^method:\s*(\w+)\s*$/i.exec(line);
    if (m && path) {
      out.push({ dialect: 'legacy', section, method: m[1].toUpperCase() as SpecRoute['method'], path });
      path = '';
    }
  }
  return out;
}

export const allSpecRoutes = (): SpecRoute[] => [...lanyingRoutes(), ...ximRoutes(), ...legacyRoutes()];

/** The documented response of a Lanying route: top-level fields and the fields of `data` (or of its items). */
export interface LanyingResponse {
  top: Record<string, string>;
  data: Record<string, string>;
}

/** lanying-group-api.md response tables, keyed by "METHOD /path" (every verb of a section shares one). */
export function lanyingResponses(): Map<string, LanyingResponse> {
  const out = new Map<string, LanyingResponse>();
  for (const section of read('lanying-group-api.md').split('\n## ').slice(1)) {
    const lines = section.split('\n');
    const verbs = lines.flatMap((l) => /^> (GET|POST|PUT|DELETE) (\/\S+)\s*$/.exec(l) ?? []).filter((_, i) => i % 3 === 0);
    const start = lines.findIndex((l) => l.startsWith('#### 响应体'));
    const res: LanyingResponse = { top: {}, data: {} };
    for (const l of lines.slice(start + 1)) {
      if (l.startsWith('####')) break;
      const m = /^\|(⇥ )?\s*(\w+)\s*\|\s*([\w[\]]+)\s*\|/.exec(l);
      if (!m || m[2] === '参数名称') continue;
      (m[1] ? res.data : res.top)[m[2]] = m[3];
    }
    for (const v of verbs) out.set(v.slice(2), res);
  }
  return out;
}

/** Whether a JSON value has the documented type (int32/int64 are integers; array[int64] a list of them). */
export function hasDocType(value: unknown, type: string): boolean {
  switch (type) {
    case 'int32':
    case 'int64':
      return Number.isSafeInteger(value);
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array[object]':
      return Array.isArray(value) && value.every((v) => typeof v === 'object' && v !== null);
    case 'array[int64]':
      return Array.isArray(value) && value.every((v) => Number.isSafeInteger(v));
    default:
      throw new Error(`unknown documented type ${type}`);
  }
}

/** A documented request: query and body fields with their documented types. */
export interface SpecRequest {
  query: Record<string, string>;
  body: Record<string, string>;
}

/** lanying-group-api.md request tables (请求参数 = query, 请求体 = body), keyed by "METHOD /path". */
export function lanyingRequests(): Map<string, SpecRequest> {
  const out = new Map<string, SpecRequest>();
  for (const section of read('lanying-group-api.md').split('\n## ').slice(1)) {
    const req: SpecRequest = { query: {}, body: {} };
    let part: keyof SpecRequest | undefined;
    const verbs: string[] = [];
    for (const l of section.split('\n')) {
      const v = /^> (GET|POST|PUT|DELETE) (\/\S+)\s*$/.exec(l);
      if (v) verbs.push(`${v[1]} ${v[2]}`);
      if (l.startsWith('#### ')) part = l.startsWith('#### 请求参数') ? 'query' : l.startsWith('#### 请求体') ? 'body' : undefined;
      const m = /^\|\s*(\w+)\s*\|\s*([\w[\]]+)\s*\|/.exec(l);
      if (part && m && m[1] !== '参数名称') req[part][m[1]] = m[2];
    }
    for (const v of verbs) out.set(v, req);
  }
  return out;
}

/** xim-group-api.md request tables, keyed by "GET /med.xim.Group/Method". */
export function ximRequests(): Map<string, SpecRequest> {
  const out = new Map<string, SpecRequest>();
  for (const section of read('xim-group-api.md').split('\n## ').slice(1)) {
    const head = /^(GET) (\S+)/.exec(section);
    if (!head) continue;
    const req: SpecRequest = { query: {}, body: {} };
    for (const l of section.split('\n')) {
      const m = /^\|(\w+)\|[^|]*\|([^|]+)\|/.exec(l);
      if (m && m[1] !== '参数名') req.query[m[1]] = m[2];
    }
    out.set(`${head[1]} ${head[2]}`, req);
  }
  return out;
}

/** The routes the real Lanying web SDK calls beyond the document (origins.md). */
export const lanyingSdkExtras: SpecRoute[] = [
  { dialect: 'lanying', section: 'sdk', method: 'POST', path: '/group/msg/not_disturb' },
  { dialect: 'lanying', section: 'sdk', method: 'POST', path: '/group/settings/hide_member_info' },
  { dialect: 'lanying', section: 'sdk', method: 'GET', path: '/app/qrcode/group_sign' },
  { dialect: 'lanying', section: 'sdk', method: 'GET', path: '/app/qrcode/group_invite' },
  { dialect: 'lanying', section: 'token', method: 'POST', path: '/user/register/v2' },
  { dialect: 'lanying', section: 'token', method: 'POST', path: '/token/user' },
  { dialect: 'lanying', section: 'token', method: 'POST', path: '/token/id' },
  { dialect: 'lanying', section: 'token', method: 'POST', path: '/token/login' },
];

export function envelopeOf(dialect: SpecRoute['dialect'], body: unknown): 'ok' | 'error' | 'foreign' {
  const b = body as Record<string, unknown> | undefined;
  if (!b || typeof b !== 'object') return 'foreign';
  switch (dialect) {
    case 'lanying':
      return typeof b.code === 'number' && 'data' in b && 'message' in b ? (b.code === 200 ? 'ok' : 'error') : 'foreign';
    case 'xim':
      return typeof b.code === 'number' && b.code === b.errcode && typeof b.message === 'string' && b.message === b.errmsg && 'data' in b ? (b.code === 0 ? 'ok' : 'error') : 'foreign';
    case 'legacy':
      return typeof b.success === 'boolean' && typeof b.info === 'string' ? (b.success ? 'ok' : 'error') : 'foreign';
  }
}

