// NUL, control characters and deeply nested JSON, in every dialect: a clear
// invalid-argument answer in the caller's envelope, the same on SQLite and
// PostgreSQL (where NUL used to answer 500 while SQLite cut the text at it),
// and nothing stored. Run with PARLEY_TEST_DATABASE_URL for PostgreSQL.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.ts';
import { call, client } from '../support/http.ts';
import { makeUser } from '../support/fixtures.ts';
import { lanying } from '../support/lanying.ts';
import { legacy } from '../support/legacy.ts';
import { MAX_JSON_DEPTH } from '../../src/http/input-guard.ts';
import { DtalkUser } from './dtalk/support.ts';
import { online } from '../support/ws.ts';

/** `{"a":{"a":…{"a":1}}}` nested `depth` objects deep, as raw JSON text (JSON.stringify of it would overflow first). */
const deepJson = (depth: number) => `${'{"a":'.repeat(depth - 1)}{"a":1}${'}'.repeat(depth - 1)}`;

const NUL_ANSWER = /must not contain the NUL character/;

describe('NUL, control characters and deep JSON are refused in every dialect', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(() => s.stop());

  const nativeRefusal = (r: { status: number; body: any }, field?: RegExp) => {
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.equal(r.body.error.code, 'invalid_argument');
    if (field) assert.match(r.body.error.message, field);
  };

  test('native: a group name, a display name, an announcement title, a query and an unauthenticated sign-in with NUL answer 400', async () => {
    const u = await makeUser(s);
    const c = client(s.url, u.token);
    nativeRefusal(await c.post('/v1/groups', { name: 'a\u0000b' }), /the body\.name must not contain the NUL/);
    assert.deepEqual((await c.get('/v1/groups')).body.items, [], 'no group was made');

    const before = (await c.get('/v1/me')).body;
    nativeRefusal(await c.patch('/v1/me', { displayName: 'a\u0000b' }), NUL_ANSWER);
    assert.equal((await c.get('/v1/me')).body.displayName, before.displayName, 'not stored cut short');

    const g = await c.post('/v1/groups', { name: 'g' });
    assert.equal(g.status, 201, g.text);
    nativeRefusal(await c.post(`/v1/groups/${g.body.group.id}/announcements`, { title: 'a\u0000b', content: 'x' }), NUL_ANSWER);
    assert.deepEqual((await c.get(`/v1/groups/${g.body.group.id}/announcements`)).body.items, []);

    nativeRefusal(await call(s.url, 'GET', '/v1/users?handle=a%00b', { token: u.token }), /the query\.handle must not contain the NUL/);
    nativeRefusal(await call(s.url, 'POST', '/v1/auth/login', { body: { handle: 'a\u0000b', password: 'whatever1' } }), NUL_ANSWER);
    nativeRefusal(await call(s.url, 'POST', '/v1/auth/login', { raw: '{"handle":"x","password":"p\\u0000assword"}', headers: { 'content-type': 'application/json' } }), NUL_ANSWER);
  });

  test('native: control characters in names and titles are refused; message-like text keeps tabs and line breaks', async () => {
    const u = await makeUser(s);
    const c = client(s.url, u.token);
    nativeRefusal(await c.post('/v1/groups', { name: 'a\u0007b' }), /name must not contain control characters/);
    nativeRefusal(await c.patch('/v1/me', { displayName: 'line\nbreak' }), /displayName must not contain control characters/);
    const g = await c.post('/v1/groups', { name: 'fine name', description: 'two\nlines\tand a tab' });
    assert.equal(g.status, 201, g.text);
    assert.equal(g.body.group.description, 'two\nlines\tand a tab');
    nativeRefusal(await c.post(`/v1/groups/${g.body.group.id}/announcements`, { title: 'a\u001bb', content: 'x' }), /title must not contain control characters/);
    const a = await c.post(`/v1/groups/${g.body.group.id}/announcements`, { title: 'ok', content: 'first\nsecond' });
    assert.equal(a.status, 201, a.text);
    assert.equal(a.body.content, 'first\nsecond');
  });

  test(`native: JSON nested deeper than ${MAX_JSON_DEPTH} in profile, attrs or ext answers 400, not 500`, async () => {
    const u = await makeUser(s);
    const c = client(s.url, u.token);
    const other = await makeUser(s);
    const raw = (method: string, path: string, text: string) => call(s.url, method, path, { token: u.token, raw: text, headers: { 'content-type': 'application/json' } });
    nativeRefusal(await raw('PATCH', '/v1/me', `{"profile":${deepJson(5000)}}`), /nested deeper than 32 levels/);
    nativeRefusal(await raw('POST', '/v1/groups', `{"name":"deep","attrs":${deepJson(5000)}}`), /nested deeper/);
    nativeRefusal(await raw('POST', `/v1/users/${other.id}/messages`, `{"type":"text","body":{"text":"hi"},"ext":${deepJson(5000)}}`), /nested deeper/);
    // Within the bound it is stored as sent.
    const ok = await raw('PATCH', '/v1/me', `{"profile":${deepJson(MAX_JSON_DEPTH - 2)}}`);
    assert.equal(ok.status, 200, ok.text);
    assert.equal(JSON.stringify((await c.get('/v1/me')).body.profile), deepJson(MAX_JSON_DEPTH - 2));
  });

  test('lanying: a group name with NUL or a control character is its bad-request code (10002) and makes no group', async () => {
    const u = await makeUser(s);
    const l = lanying(s.url, { appId: s.appId, token: u.token });
    for (const name of ['a\u0000b', 'a\u0001b']) {
      const r = await l.post('/group/create', { name });
      assert.equal(r.status, 200);
      assert.equal(r.body.code, 10002, JSON.stringify(r.body));
      assert.equal(r.body.data, null);
    }
    const deep = await call(s.url, 'POST', '/group/create', { raw: `{"name":"x","ext":${deepJson(5000)}}`, headers: { 'content-type': 'application/json', app_id: String(s.appId), 'access-token': u.token } });
    assert.equal(deep.body.code, 10002, deep.text);
    assert.deepEqual((await client(s.url, u.token).get('/v1/groups')).body.items, []);
  });

  test('legacy: a showName with NUL (form field or JSON data text) is refused and the name stays unset', async () => {
    const u = await makeUser(s);
    const created = await client(s.url, u.token).post('/v1/groups', { name: 'legacy' });
    assert.equal(created.status, 201, created.text);
    const g = created.body.group;
    const l = legacy(s.url, { uid: u.id, accessToken: u.token });
    const viaForm = await l.form('group!userSetGroup', { groupId: g.id, showName: 'a\u0000b' });
    assert.equal(viaForm.body.success, false, viaForm.text);
    assert.equal(viaForm.body.code, 'invalid_argument');
    assert.match(viaForm.body.info, NUL_ANSWER);
    const viaData = await l.form('group!userSetGroup', { data: JSON.stringify({ groupId: String(g.id), showName: 'a\u0000b' }) });
    assert.equal(viaData.body.success, false, viaData.text);
    assert.match(viaData.body.info, NUL_ANSWER);
    const me = await client(s.url, u.token).get(`/v1/groups/${g.id}/members/${u.id}`);
    assert.equal(me.status, 200, me.text);
    assert.ok(!me.body.displayName, `not stored: ${JSON.stringify(me.body.displayName)}`);
  });

  test('xim: a NUL in a query parameter is its bad-request code', async () => {
    const r = await call(s.url, 'GET', '/med.xim.Group/InfoBatch?groupId=1%00', { token: s.adminToken });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.code, 1001, r.text);
    assert.match(r.body.message, /the query\.groupId must not contain the NUL/);
  });

  test('dtalk: NUL or deep JSON in a body is its bad-parameters result (-1012)', async () => {
    const d = new DtalkUser(s);
    const nul = await d.post('/oss/get-host', { appId: 'a\u0000b' });
    assert.deepEqual([nul.body.result, nul.body.message], [-1012, '请求参数错误'], nul.text);
    assert.equal((await d.post('/oss/get-host', { appId: 'ab' })).body.result, 0, 'the same request without NUL passes');
    const deep = await d.post('/oss/get-host', undefined, { raw: `{"appId":"x","ext":${deepJson(5000)}}` });
    assert.equal(deep.body.result, -1012, deep.text);
  });

  test('prototype-poisoning keys are dropped, not applied, in the older dialects', async () => {
    const u = await makeUser(s);
    const r = await call(s.url, 'POST', '/group/create', { raw: '{"name":"proto","__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}}}', headers: { 'content-type': 'application/json', app_id: String(s.appId), 'access-token': u.token } });
    assert.equal(r.body.code, 200, r.text);
    assert.equal(({} as Record<string, unknown>).isAdmin, undefined);
  });

  test('WebSocket sends: NUL in the text or deep ext is refused by core with invalid_argument, nothing stored', async () => {
    const a = await makeUser(s);
    const b = await makeUser(s);
    const ws = await online(s.url, a.token);
    ws.send({ type: 'send', ref: 'nul', message: { userId: b.id, type: 'text', body: { text: 'a\u0000b' } } });
    const e1 = await ws.next('error');
    assert.deepEqual([e1.ref, e1.code], ['nul', 'invalid_argument']);
    assert.match(e1.message, /body\.text must not contain the NUL/);
    let deep: unknown = 1;
    for (let i = 0; i < 200; i++) deep = { a: deep };
    ws.send({ type: 'send', ref: 'deep', message: { userId: b.id, type: 'text', body: { text: 'hi' }, ext: deep } });
    const e2 = await ws.next('error');
    assert.deepEqual([e2.ref, e2.code], ['deep', 'invalid_argument']);
    assert.match(e2.message, /nested deeper than 32/);
    const history = await client(s.url, a.token).get(`/v1/users/${b.id}/messages`);
    assert.deepEqual(history.body.items, []);
    await ws.close();
  });
});
