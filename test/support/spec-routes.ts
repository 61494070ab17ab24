// The route tables of the dialects' API documents, as facts committed to the
// repository (test/fixtures/api/*.json: routes, verbs, request fields and
// their documented types, response fields), so a test can prove every
// documented route and verb is served — and a fresh clone carries everything
// its tests need. test/fixtures/api/README.md says how the files were made.

import { readFileSync } from 'node:fs';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface SpecRoute {
  dialect: 'lanying' | 'xim' | 'legacy';
  /** The section of the document that defines it. */
  section: string;
  method: Method;
  path: string;
}

/** The documented response of a Lanying route: top-level fields and the fields of `data` (or of its items). */
export interface LanyingResponse {
  top: Record<string, string>;
  data: Record<string, string>;
}

/** A documented request: query and body fields with their documented types. */
export interface SpecRequest {
  query: Record<string, string>;
  body: Record<string, string>;
}

interface LanyingFact {
  section: string;
  method: string;
  path: string;
  request: SpecRequest;
  response: LanyingResponse;
}

interface Fact {
  section: string;
  method: string;
  path: string;
}

/** One committed facts file (inside the repository, beside the tests). */
const facts = <T>(dialect: string): T => JSON.parse(readFileSync(new URL(`../fixtures/api/${dialect}.json`, import.meta.url), 'utf8')) as T;

const lanyingDoc = facts<{ routes: LanyingFact[] }>('lanying');
const ximDoc = facts<{ routes: (Fact & { request: SpecRequest })[] }>('xim');
const legacyDoc = facts<{ headers: string[]; routes: (Fact & { data: string[] })[] }>('legacy');
const dtalkDoc = facts<{ routes: { section: number; title: string; path: string; request: DtalkField[] }[] }>('dtalk');

const key = (r: { method: string; path: string }) => `${r.method} ${r.path}`;
const lanyingFacts = lanyingDoc.routes;

/** lanying-group-api.md: 53 sections, 76 method+path pairs. */
export function lanyingRoutes(): SpecRoute[] {
  return lanyingFacts.map((r) => ({ dialect: 'lanying', section: r.section, method: r.method as Method, path: r.path }));
}

/** xim-group-api.md: the five GET methods of med.xim.Group. */
export function ximRoutes(): SpecRoute[] {
  return ximDoc.routes.map((r) => ({ dialect: 'xim', section: r.section, method: r.method as Method, path: r.path }));
}

/** legacy-group-api.md: the eight Struts actions, all POST. */
export function legacyRoutes(): SpecRoute[] {
  return legacyDoc.routes.map((r) => ({ dialect: 'legacy', section: r.section, method: r.method as Method, path: r.path }));
}

export const allSpecRoutes = (): SpecRoute[] => [...lanyingRoutes(), ...ximRoutes(), ...legacyRoutes()];

/** lanying-group-api.md response tables, keyed by "METHOD /path" (every verb of a section shares one). */
export function lanyingResponses(): Map<string, LanyingResponse> {
  return new Map(lanyingFacts.map((r) => [key(r), r.response]));
}

/** lanying-group-api.md request tables (请求参数 = query, 请求体 = body), keyed by "METHOD /path". */
export function lanyingRequests(): Map<string, SpecRequest> {
  return new Map(lanyingFacts.map((r) => [key(r), r.request]));
}

/** xim-group-api.md request tables (all query), keyed by "GET /med.xim.Group/Method". */
export function ximRequests(): Map<string, SpecRequest> {
  return new Map(ximDoc.routes.map((r) => [key(r), r.request]));
}

/** legacy-group-api.md: the `data` fields of each action, keyed by "POST /chat/...". */
export function legacyRequests(): Map<string, string[]> {
  return new Map(legacyDoc.routes.map((r) => [key(r), r.data]));
}

/** The session headers every legacy request carries. */
export const legacyHeaders: readonly string[] = legacyDoc.headers;

export interface DtalkField {
  /** The JSON name. */
  name: string;
  /** The Go type of the request struct (int64, string, []string, bool…). */
  type: string;
  optional: boolean;
}

export interface DtalkSpecRoute {
  section: number;
  title: string;
  path: string;
  /** The documented request struct's fields. */
  request: DtalkField[];
}

/** dtalk-app-api.md: 40 sections (`### N. "title"`), one POST path each. */
export function dtalkRoutes(): DtalkSpecRoute[] {
  return dtalkDoc.routes.map((r) => ({ section: r.section, title: r.title, path: r.path, request: r.request }));
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

/** The routes the real Lanying web SDK calls beyond the document (its login, tokens, QR codes and settings). */
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
