// Random and malformed requests to every route of the three dialects (the
// documents' own routes and fields, plus the Lanying SDK extras): each gets
// its dialect's error envelope, never a 500, and the data is left exactly as
// it was. Seeded, so a failure names a case that can be replayed.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { makeUser } from '../../support/fixtures.ts';
import { call, type CallOptions } from '../../support/http.ts';
import { lanying } from '../../support/lanying.ts';
import { allSpecRoutes, envelopeOf, lanyingRequests, lanyingSdkExtras, ximRequests, type SpecRequest, type SpecRoute } from '../../support/spec-routes.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20261123);
const CASES_PER_ROUTE = 8;

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LEGACY_FIELDS: Record<string, Record<string, string>> = {
  '/chat/group!joinGroup': { groupId: 'id' },
  '/chat/group!groupList': {},
  '/chat/group!getGroupDetail': { groupId: 'id' },
  '/chat/group!userSetGroup': { groupId: 'id', showName: 'string' },
  '/chat/group!exitGroup': { groupId: 'id' },
  '/chat/group!deleteUser': { groupId: 'id', groupUserId: 'id' },
  '/chat/group!updateGroup': { groupId: 'id', groupName: 'string', type: 'string', introduction: 'string', notice: 'string' },
  '/chat/chat!loadChatRecords': { groupId: 'id', chatUserId: 'id', lastTime: 'int64' },
};
const EXTRA_FIELDS: Record<string, SpecRequest> = {
  'POST /group/msg/not_disturb': { query: {}, body: { group_id: 'int64', value: 'boolean' } },
  'POST /group/settings/hide_member_info': { query: {}, body: { group_id: 'int64', value: 'boolean' } },
  'GET /app/qrcode/group_sign': { query: { group_id: 'int64' }, body: {} },
  'GET /app/qrcode/group_invite': { query: { qr_info: 'string' }, body: {} },
  'POST /user/register/v2': { query: {}, body: { username: 'string', password: 'string' } },
  'POST /token/user': { query: {}, body: { name: 'string', password: 'string' } },
  'POST /token/id': { query: {}, body: { user_id: 'int64', password: 'string' } },
  'POST /token/login': { query: {}, body: { login_name: 'string', password: 'string' } },
};

// Values that are wrong for each documented type (as JSON, and as query text).
const WRONG_JSON: Record<string, unknown[]> = {
  int: [{}, [1], true, null, -5, 1e30, 'abc', 1.5, '99999999999999999999', '-1'],
  string: [{}, [], true, null, 'x'.repeat(20_000)],
  boolean: [{}, 5, 'maybe', null, []],
  list: ['x', {}, [-1], ['abc'], [1e30], Array.from({ length: 2000 }, () => 1), null],
};
const WRONG_QUERY: Record<string, string[]> = {
  int: ['abc', '1.5', '99999999999999999999', '-5', '--1', '1e9'],
  string: ['x'.repeat(5000)],
  boolean: ['maybe', '2'],
  list: ['a,b', '1;2', '99999999999999999999'],
};
const kindOf = (docType: string): keyof typeof WRONG_JSON => {
  if (/^int|^integer$|^id$/.test(docType)) return 'int';
  if (/array|多个/.test(docType)) return 'list';
  if (/bool/.test(docType)) return 'boolean';
  return 'string';
};

let s: TestServer;
let owner: { id: number; token: string };
let member: { id: number; token: string };
let g: number;

before(async () => {
  s = await startTestServer({ manualClock: true });
  owner = await makeUser(s);
  member = await makeUser(s);
  const ly = lanying(s.url, { appId: s.appId, token: owner.token });
  g = (await ly.post('/group/create', { name: 'fixture', user_list: [member.id] })).body.data.group_id;
  await ly.post('/group/announcement/edit', { group_id: g, title: 't', content: 'c' });
  await ly.post('/group/file/upload', { group_id: g, name: 'f', size: 1, url: 'https://f/x' });
  await call(s.url, 'POST', `/v1/groups/${g}/messages`, { token: owner.token, body: { type: 'text', body: { text: 'hi' } } });
});
after(() => s.stop());

/** Everything a stray change could touch, read through core. */
async function snapshot() {
  const admin = { appId: s.appId, userId: null, appAdmin: true };
  const gr = s.core.groups;
  return JSON.stringify({
    group: await gr.lifecycle.get(admin, g),
    members: await gr.members.list(admin, g, { limit: 1000 }),
    muted: await gr.moderation.listMuted(admin, g, { limit: 1000 }),
    blocked: await gr.moderation.listBlocked(admin, g, { limit: 1000 }),
    announcements: await gr.announcements.list(admin, g, { limit: 1000 }),
    files: await gr.files.list(admin, g, { limit: 1000 }),
    applications: await gr.applications.list(admin, [g], { limit: 1000 }),
    ownerGroups: await gr.lifecycle.listOf(admin, { userId: owner.id, limit: 1000 }),
    memberGroups: await gr.lifecycle.listOf(admin, { userId: member.id, limit: 1000 }),
    history: (await s.core.messages.history(s.appId, null, { groupId: g }, { limit: 200 })).items.map((m) => [m.id, m.type, m.revokedAt]),
    users: (await s.core.users.list(s.appId, { limit: 200 })).total,
  });
}

/** A valid value for a field, aimed at the fixture group and its member. */
function valid(name: string, docType: string): unknown {
  const k = kindOf(docType);
  if (k === 'list') return name === 'group_list' ? [g] : [member.id];
  if (k === 'boolean') return true;
  if (k === 'int') return /group/i.test(name) ? g : /user|owner/i.test(name) ? member.id : name === 'duration' ? 10 : 1;
  return 'fuzz';
}

function fieldsOf(r: SpecRoute): SpecRequest {
  const key = `${r.method} ${r.path}`;
  if (r.dialect === 'legacy') return { query: {}, body: LEGACY_FIELDS[r.path] ?? {} };
  if (r.dialect === 'xim') return ximRequests().get(key) ?? { query: {}, body: {} };
  return lanyingRequests().get(key) ?? EXTRA_FIELDS[key] ?? { query: {}, body: {} };
}

function headers(r: SpecRoute): Record<string, string> {
  switch (r.dialect) {
    case 'lanying':
      return { app_id: String(s.appId), 'access-token': owner.token };
    case 'xim':
      return { authorization: `Bearer ${s.adminToken}` };
    case 'legacy':
      return { uid: String(owner.id), accessToken: owner.token, client: 'fuzz', expire: String(s.clock!.now() + 3_600_000) };
  }
}

/** One malformed request for a route: what is wrong with it is part of the label. */
function makeCase(r: SpecRoute, n: number, rand: () => number): { label: string; opts: CallOptions } {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)];
  const f = fieldsOf(r);
  const fields = [...Object.entries(f.query).map(([k, t]) => ['query', k, t] as const), ...Object.entries(f.body).map(([k, t]) => ['body', k, t] as const)];
  const base = () => {
    const query: Record<string, string> = {};
    const body: Record<string, unknown> = {};
    for (const [where, k, t] of fields) {
      const v = valid(k, t);
      if (where === 'query' || r.method === 'GET' || r.dialect === 'xim') query[k] = Array.isArray(v) ? v.join(',') : String(v);
      else body[k] = v;
    }
    return { query, body };
  };
  const auth = headers(r);
  switch (n) {
    case 0:
      return { label: 'no credentials', opts: { headers: r.dialect === 'lanying' ? { app_id: String(s.appId) } : {}, body: {} } };
    case 1:
      return { label: 'malformed JSON', opts: { headers: { ...auth, 'content-type': 'application/json' }, raw: '{"group_id": 1, "user_list": [' } };
    case 2:
      return { label: 'text/plain body', opts: { headers: { ...auth, 'content-type': 'text/plain' }, raw: 'group_id=1' } };
    case 3: {
      const bytes = new Uint8Array(64);
      for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(rand() * 256);
      return { label: 'random bytes as JSON', opts: { headers: { ...auth, 'content-type': 'application/json' }, raw: bytes } };
    }
    default: {
      // Everything valid but one field, which gets a wrong value (or every field, when n is odd).
      if (fields.length === 0) return { label: 'no fields: garbage query', opts: { headers: auth, query: { cursor: '%%%', limit: 'abc' } } };
      const { query, body } = base();
      const targets = n % 2 === 1 ? fields : [pick(fields)];
      const wrongs: string[] = [];
      for (const [where, k, t] of targets) {
        const kind = kindOf(t);
        if (where === 'query' || r.method === 'GET' || r.dialect === 'xim') query[k] = pick(WRONG_QUERY[kind]);
        else body[k] = pick(WRONG_JSON[kind]);
        wrongs.push(k);
      }
      return { label: `wrong ${wrongs.join(',')}: ${JSON.stringify({ query, body }).slice(0, 200)}`, opts: { headers: auth, query, ...(r.method === 'GET' ? {} : { body }) } };
    }
  }
}

test('malformed requests to every route: dialect error envelope, never a 500, nothing changes', async () => {
  const before = await snapshot();
  const rand = rng(SEED);
  const routes = [...allSpecRoutes(), ...lanyingSdkExtras];
  let sent = 0;
  for (const r of routes) {
    for (let n = 0; n < CASES_PER_ROUTE; n++) {
      const { label, opts } = makeCase(r, n, rand);
      // GET carries no body: its malformed input goes into the query instead.
      const sendOpts = r.method === 'GET' && (opts.raw !== undefined || opts.body !== undefined) ? { headers: opts.headers, query: Object.fromEntries(Object.keys(fieldsOf(r).query).map((k) => [k, '{"x":'])) } : opts;
      const res = await call(s.url, r.method, r.path, sendOpts);
      sent++;
      const where = `${r.method} ${r.path} [${label}] seed=${SEED} → ${res.status} ${res.text.slice(0, 300)}`;
      assert.ok(res.status < 500, where);
      assert.equal(res.status, 200, where);
      const kind = envelopeOf(r.dialect, res.body);
      assert.notEqual(kind, 'foreign', where);
      const hasFields = Object.keys(fieldsOf(r).query).length + Object.keys(fieldsOf(r).body).length > 0;
      // A route without parameters may legitimately answer a request that only carries junk.
      if (n === 0 || hasFields) assert.equal(kind, 'error', where);
    }
  }
  assert.ok(sent >= routes.length * CASES_PER_ROUTE);
  assert.equal(await snapshot(), before, 'a refused request changed something');
});
