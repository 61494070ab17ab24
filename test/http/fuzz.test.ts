// Property-based fuzzing of EVERY route of every API Parley serves: the
// native API (from its own GET /openapi.json), lanying, xim, legacy and dtalk
// (from the documents' committed facts, test/fixtures/api). Hostile input —
// broken/truncated JSON, wrong types, missing and extra fields, huge and deep
// values, NUL and lone surrogates, ids beyond 2^53 and negative, oversized and
// truncated multipart bodies, wrong content types, missing and forged
// credentials, and valid credentials too so handlers run deep — must get:
// no 5xx, an answer in the caller's dialect's envelope, no internal error
// (parley_internal_errors_total stays 0, no error logged for the request),
// a live process (/healthz) and a heap that does not grow without bound.
// Refused requests (no or forged credentials, broken bodies) change nothing.
//
// FUZZ_SEED fixes the cases (CI uses the default); FUZZ_RUNS sets the random
// cases per route (default 3; e.g. FUZZ_RUNS=200 for a long local run);
// FUZZ_SHRINK=1 shrinks a failing case to a minimal one (slower); FUZZ_ROUTE
// runs only the routes whose "METHOD /path" contains it (seeds unchanged).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import pino from 'pino';
import { startTestServer, type TestServer } from '../support/server.ts';
import { makeUser } from '../support/fixtures.ts';
import { call } from '../support/http.ts';
import { lanying } from '../support/lanying.ts';
import { envelopeOf } from '../support/spec-routes.ts';
import { internalErrors } from '../support/metrics.ts';
import { dialectRoutes, nativeRoutes, type Field, type Route } from '../support/fuzz/catalog.ts';
import { caseArb, render, type Case, type Creds, type World } from '../support/fuzz/requests.ts';
import { RawJson } from '../support/fuzz/values.ts';
import { DtalkUser } from './dtalk/support.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20261206);
const RUNS = Number(process.env.FUZZ_RUNS ?? 3);
const SHRINK = process.env.FUZZ_SHRINK === '1';
/** Only the routes whose "METHOD /path" contains this (a replay); seeds stay those of the full run. */
const ONLY = process.env.FUZZ_ROUTE ?? '';
const picked = (r: Route) => `${r.method} ${r.path}`.includes(ONLY);
const BODY_LIMIT = 1_048_576;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapAfterGc = () => {
  gc();
  return process.memoryUsage().heapUsed;
};

interface Fixture {
  owner: { id: number; token: string };
  member: { id: number; token: string };
  group: number;
  announcement: number;
  file: number;
  message: number;
  dOwner: DtalkUser;
  dMember: DtalkUser;
  dGroup: string;
}

describe('fuzz: every route of every API', () => {
  let s: TestServer;
  let fx: Fixture;
  let world: World;
  let routes: Route[];
  const logged: Record<string, unknown>[] = [];
  let seq = 0;

  before(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const l of chunk.toString('utf8').split('\n')) if (l) logged.push(JSON.parse(l) as Record<string, unknown>);
        done();
      },
    });
    s = await startTestServer({ manualClock: true, logger: pino({ level: 'error' }, sink), config: { bodyLimit: BODY_LIMIT } });
    const owner = await makeUser(s);
    const member = await makeUser(s);
    const ly = lanying(s.url, { appId: s.appId, token: owner.token });
    const group = (await ly.post('/group/create', { name: 'fixture', user_list: [member.id] })).body.data.group_id as number;
    await ly.post('/group/announcement/edit', { group_id: group, title: 't', content: 'c' });
    await ly.post('/group/file/upload', { group_id: group, name: 'f', size: 1, url: 'https://f/x' });
    const announcement = (await ly.get('/group/announcement/list', { group_id: group })).body.data?.[0]?.announcement_id ?? 1;
    const file = (await ly.get('/group/file/list', { group_id: group })).body.data?.[0]?.file_id ?? 1;
    const sent = await call(s.url, 'POST', `/v1/groups/${group}/messages`, { token: owner.token, body: { type: 'text', body: { text: 'hi' } } });
    const dOwner = new DtalkUser(s);
    const dMember = new DtalkUser(s);
    for (const u of [dOwner, dMember]) assert.equal((await u.post('/app/user/login', { connType: 0 })).body.result, 0);
    const dg = await dOwner.post('/group/app/create-group', { name: 'fixture', avatar: '', introduce: '', memberIds: [dMember.address] });
    assert.equal(dg.body.result, 0, dg.text);
    fx = { owner, member, group, announcement, file, message: Number(sent.body?.id ?? 1), dOwner, dMember, dGroup: String(dg.body.data.idStr ?? dg.body.data.id) };
    world = { base: s.url, bodyLimit: BODY_LIMIT, creds, valid };
    const doc = (await call(s.url, 'GET', '/openapi.json')).body as Parameters<typeof nativeRoutes>[0];
    routes = [...nativeRoutes(doc), ...dialectRoutes()];
  });
  after(() => s.stop());

  function creds(route: Route, who: Creds): Record<string, string> {
    const forged = (token: string) => `${token.slice(0, -4)}${token.slice(-4).split('').reverse().join('')}x`;
    const user = who === 'member' ? fx.member : fx.owner;
    switch (route.dialect) {
      case 'native':
        if (who === 'none') return {};
        return { authorization: `Bearer ${who === 'forged' ? forged(fx.owner.token) : who === 'admin' ? s.adminToken : user.token}` };
      case 'lanying':
        if (who === 'none') return { app_id: String(s.appId) };
        if (who === 'admin') return { app_id: String(s.appId), 'access-token': s.adminToken, user_id: String(fx.owner.id) };
        return { app_id: String(s.appId), 'access-token': who === 'forged' ? forged(fx.owner.token) : user.token };
      case 'xim':
        if (who === 'none') return {};
        return { authorization: `Bearer ${who === 'forged' ? forged(s.adminToken) : who === 'member' ? fx.member.token : s.adminToken}` };
      case 'legacy':
        if (who === 'none') return {};
        return { uid: String(user.id), accessToken: who === 'forged' ? forged(user.token) : user.token, client: 'fuzz', expire: String(s.clock!.now() + 3_600_000) };
      case 'dtalk': {
        if (who === 'none') return {};
        const token = (who === 'member' ? fx.dMember : fx.dOwner).token();
        return { 'FZM-SIGNATURE': who === 'forged' ? forged(token) : token };
      }
    }
  }

  function valid(route: Route, f: Field): unknown {
    const n = f.name;
    if (f.choices?.length) return f.choices[0];
    if (route.dialect === 'dtalk') {
      if (f.kind === 'list') return /member|invitee/i.test(n) ? [fx.dMember.address] : [];
      if (n === 'id') return new RawJson(fx.dGroup);
      if (n === 'idStr' || n === 'groupId') return fx.dGroup;
      if (/memberId|targetId|inviterId/.test(n)) return fx.dMember.address;
      if (n === 'key') return 'fuzz/a.txt';
      if (f.kind === 'int') return /count/.test(n) ? 10 : n === 'connType' ? 0 : 1;
      if (f.kind === 'bool') return true;
      return /logId|traceId/.test(n) ? String(fx.message) : 'fuzz';
    }
    if (f.where === 'path') {
      if (n === 'groupId') return fx.group;
      if (n === 'userId') return fx.member.id;
      if (n === 'announcementId') return fx.announcement;
      if (n === 'fileId') return fx.file;
      if (n === 'emoji') return '👍';
      if (n === 'id' && route.path.startsWith('/v1/users')) return fx.member.id;
      if (n === 'id' && route.path.startsWith('/v1/messages')) return fx.message;
      return 1;
    }
    switch (f.kind) {
      case 'list':
        return /group/i.test(n) ? [fx.group] : [fx.member.id];
      case 'bool':
        return true;
      case 'object':
        return {};
      case 'int':
        if (/group/i.test(n)) return fx.group;
        if (/user|owner|member|uid|target/i.test(n)) return fx.member.id;
        if (/announcement/i.test(n)) return fx.announcement;
        if (/file/i.test(n)) return fx.file;
        if (/message|msg/i.test(n)) return fx.message;
        return /limit|count|size|duration/i.test(n) ? 10 : 1;
      case 'string':
        if (/groupId$/.test(n)) return String(fx.group);
        if (/(user|uid)Id$/i.test(n)) return String(fx.member.id);
        if (/password/i.test(n)) return 'password-123';
        return 'fuzz';
    }
  }

  /** Why an answer is wrong for the route's dialect (undefined: it is fine). */
  function problemWith(route: Route, status: number, text: string): string | undefined {
    if (status >= 500) return `HTTP ${status}`;
    // Node's HTTP parser refuses a request line or headers past its limit before any dialect sees them.
    if (status === 431) return undefined;
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    switch (route.dialect) {
      case 'native': {
        if (status < 400) return undefined;
        const e = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
        return typeof e?.code === 'string' && typeof e.message === 'string' ? undefined : `HTTP ${status} without the native error envelope`;
      }
      case 'dtalk': {
        if (status === 413 && text === '') return undefined; // go-zero's bare 413
        const b = body as { result?: unknown; message?: unknown } | undefined;
        if (status !== 200) return `HTTP ${status}`;
        return typeof b?.result === 'number' && typeof b.message === 'string' && 'data' in b ? undefined : 'not the dtalk envelope';
      }
      case 'lanying':
      case 'xim':
      case 'legacy':
        if (status !== 200) return `HTTP ${status}`;
        return envelopeOf(route.dialect, body) === 'foreign' ? `not the ${route.dialect} envelope` : undefined;
    }
  }

  /** Sends one case; returns what went wrong, if anything, with the request and answer. */
  async function attempt(route: Route, c: Case, mustRefuse: boolean): Promise<string | undefined> {
    const r = render(route, c, world);
    const reqId = `fuzz-${++seq}`;
    let status: number;
    let text: string;
    try {
      const res = await fetch(r.url, { method: r.method, headers: { ...r.headers, 'x-request-id': reqId }, ...(r.body ? { body: r.body } : {}), signal: AbortSignal.timeout(15_000) });
      status = res.status;
      text = await res.text();
    } catch (e) {
      return `${route.dialect} ${route.method} ${route.path} [${r.label}] → no answer: ${(e as Error).message}`;
    }
    const where = () => `${route.dialect} ${route.method} ${route.path} [${r.label}] → ${status} ${text.slice(0, 200)}`;
    const problem = problemWith(route, status, text);
    if (problem) return `${problem}: ${where()}`;
    const internal = logged.find((l) => l.reqId === reqId && Number(l.level) >= 50);
    if (internal) return `internal error logged (${String((internal.err as { message?: string } | undefined)?.message ?? internal.msg).slice(0, 160)}): ${where()}`;
    if (mustRefuse && route.dialect !== 'native' && status === 200) {
      const ok = route.dialect === 'dtalk' ? (JSON.parse(text) as { result: number }).result === 0 : envelopeOf(route.dialect, JSON.parse(text)) === 'ok';
      if (ok) return `accepted: ${where()}`;
    }
    if (mustRefuse && route.dialect === 'native' && status < 400) return `accepted: ${where()}`;
    return undefined;
  }

  /** Everything a stray change could touch, read through core. */
  async function snapshot() {
    const admin = { appId: s.appId, userId: null, appAdmin: true };
    const gr = s.core.groups;
    return JSON.stringify({
      group: await gr.lifecycle.get(admin, fx.group),
      members: await gr.members.list(admin, fx.group, { limit: 1000 }),
      muted: await gr.moderation.listMuted(admin, fx.group, { limit: 1000 }),
      blocked: await gr.moderation.listBlocked(admin, fx.group, { limit: 1000 }),
      announcements: await gr.announcements.list(admin, fx.group, { limit: 1000 }),
      files: await gr.files.list(admin, fx.group, { limit: 1000 }),
      ownerGroups: await gr.lifecycle.listOf(admin, { userId: fx.owner.id, limit: 1000 }),
      history: (await s.core.messages.history(s.appId, null, { groupId: fx.group }, { limit: 200 })).items.map((m) => [m.id, m.type, m.revokedAt]),
      users: (await s.core.users.list(s.appId, { limit: 200 })).total,
    });
  }

  const BASE: Case = { creds: 'owner', encoding: 'natural', shape: 'valid', fields: [{ op: 'keep' }], extra: {}, contentType: undefined, target: 0, sneaky: 0, cut: 0.5, rawQuery: undefined };

  test('the catalog holds every route: native from /openapi.json, and 85 lanying + 5 xim + 8 legacy + 44 dtalk', () => {
    const count = (d: string) => routes.filter((r) => r.dialect === d).length;
    assert.ok(count('native') >= 100, `native: ${count('native')}`);
    assert.deepEqual([count('lanying'), count('xim'), count('legacy'), count('dtalk')], [85, 5, 8, 44]);
  });

  test('refused requests (no or forged credentials, truncated JSON, junk query) answer an error in the envelope and change nothing', async () => {
    const failures: string[] = [];
    const start = await snapshot();
    let n = 0;
    for (const route of routes.filter(picked)) {
      // Routes that need no credentials (sign-up, sign-in, signed downloads, credential uploads) act on a
      // well-formed request whatever credentials it forges; a GET carries its arguments in the query, so a
      // cut-off body leaves a well-formed request (xim's RPC over GET): neither is a refusal.
      const open = route.open === true || /^\/v1\/auth\/|^\/token\/|^\/user\/register|^\/v1\/files\/\{id\}\/content$|^\/v1\/uploads\/direct$/.test(route.path);
      const bodyless = route.method === 'GET' || route.method === 'HEAD';
      const cases: [Case, boolean][] = [
        // No credentials on one route, forged ones on the next (and junk in the query), with a truncated body;
        // an open GET (the operator endpoints) has nothing to refuse there.
        [{ ...BASE, creds: ++n % 2 ? 'none' : 'forged', shape: 'truncatedJson', encoding: 'json', rawQuery: n % 2 ? undefined : '%zz' }, !(route.open === true && bodyless)],
        ...(open ? [] : [[{ ...BASE, creds: 'forged' }, true] as [Case, boolean]]),
        // Valid credentials: a JSON body cut short, or a multipart body cut short (busboy's "Unexpected end of form").
        ...(bodyless ? [] : [
          [{ ...BASE, encoding: 'truncatedMultipart', shape: 'truncatedJson', cut: n % 2 ? 0.3 : 0.6 }, false] as [Case, boolean],
          [{ ...BASE, shape: 'truncatedJson', encoding: 'json', cut: 0.3 }, false] as [Case, boolean],
        ]),
      ];
      for (const [c, mustRefuse] of cases) {
        const p = await attempt(route, c, mustRefuse);
        if (p) failures.push(p);
      }
    }
    assert.deepEqual(failures, [], `${failures.length} failures:\n${failures.slice(0, 60).join('\n')}`);
    assert.equal(await snapshot(), start, 'a refused request changed something');
  });

  test('right-typed hostile values in every field of every route (NUL, lone surrogates, ids past 2^53): no 5xx, the envelope, no internal error', async () => {
    const failures: string[] = [];
    const sweeps: Case[] = [
      { ...BASE, shape: 'sneakyAll', only: 'string', sneaky: 0 }, // 'a\u0000b'
      { ...BASE, shape: 'sneakyAll', only: 'string', sneaky: 2 }, // 'x\ud800y'
      { ...BASE, shape: 'sneakyAll', only: 'int', sneaky: 0 }, // 9007199254740993
      { ...BASE, shape: 'sneakyAll', only: 'int', sneaky: 1 }, // -9223372036854775809
      { ...BASE, shape: 'sneakyAll', only: 'list', sneaky: 3 }, // ['a\u0000']
    ];
    for (const route of routes.filter(picked)) {
      for (const c of sweeps) {
        if (!route.fields.some((f) => f.kind === c.only)) continue;
        const p = await attempt(route, c, false);
        if (p) failures.push(p);
      }
    }
    assert.deepEqual(failures, [], `${failures.length} failures:\n${failures.slice(0, 60).join('\n')}`);
  });

  test(`hostile requests to every route (seed ${SEED}, ${RUNS} runs a route): no 5xx, the dialect's envelope, no internal error`, async (t) => {
    const failures: string[] = [];
    const heapBefore = heapAfterGc();
    let i = 0;
    for (const route of routes) {
      i++;
      if (!picked(route)) continue;
      try {
        await fc.assert(
          fc.asyncProperty(caseArb, async (c) => {
            const p = await attempt(route, c, false);
            if (p) throw new Error(p);
          }),
          { numRuns: RUNS, seed: SEED + i, endOnFailure: !SHRINK },
        );
      } catch (e) {
        // fast-check's error names the replay (seed and path); its cause is what the request got.
        const err = e as Error;
        const replay = /\{ seed: (-?\d+), path: "([^"]*)"/.exec(err.message);
        const cause = err.cause instanceof Error ? err.cause.message : err.message.split('\n').slice(0, 3).join(' ');
        failures.push(`${cause} (replay: seed ${replay?.[1]}, path ${replay?.[2]})`);
      }
    }
    const heapAfter = heapAfterGc();
    t.diagnostic(`${routes.length} routes × ${RUNS} runs; heap ${(heapBefore / 2 ** 20).toFixed(1)} → ${(heapAfter / 2 ** 20).toFixed(1)} MiB`);
    assert.deepEqual(failures, [], `${failures.length} routes failed:\n${failures.slice(0, 80).join('\n')}`);
    assert.ok(heapAfter - heapBefore < 96 * 2 ** 20, `the heap grew by ${((heapAfter - heapBefore) / 2 ** 20).toFixed(1)} MiB`);
  });

  test('afterwards: alive, and no internal error counted in any dialect', async () => {
    const health = await call(s.url, 'GET', '/healthz');
    assert.deepEqual([health.status, health.body], [200, { status: 'ok' }]);
    const counted = await internalErrors(s);
    assert.deepEqual(counted.byDialect, {}, JSON.stringify(counted.byDialect));
    const errors = logged.filter((l) => Number(l.level) >= 50).map((l) => `${String(l.reqId)} ${String(l.msg)} ${String((l.err as { message?: string } | undefined)?.message)}`);
    assert.deepEqual(errors.slice(0, 20), []);
  });
});
