// Single uploads, downloads and their authorisation, signed URLs, key
// validation, limits and deletion, on every blob store, over real HTTP.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { client } from '../../support/http.ts';
import { makeUser } from '../../support/fixtures.ts';
import { storeVariants } from '../../support/stores.ts';

const md5 = (s: string | Buffer) => createHash('md5').update(s).digest('hex');
const MAX_OBJECT = 64 * 1024;

async function put(base: string, token: string | undefined, query: Record<string, string>, body: BodyInit, headers: Record<string, string> = {}) {
  const url = new URL('/v1/files', base);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const res = await fetch(url, { method: 'POST', body, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers }, duplex: 'half' } as RequestInit);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function download(url: string, token?: string) {
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

for (const variant of storeVariants) {
  describe(`native files (${variant.name} store)`, () => {
    let s: TestServer;
    let stopStore: () => Promise<void>;
    before(async () => {
      const store = await variant.start();
      stopStore = store.stop;
      s = await startTestServer({ manualClock: true, config: { ...store.config, maxObjectSize: MAX_OBJECT } });
    });
    after(async () => {
      await s.stop();
      await stopStore();
    });

    test('a raw upload streams in; its metadata and bytes come back with safe headers', async () => {
      const u = await makeUser(s);
      const r = await put(s.url, u.token, { key: 'docs/hello.txt' }, 'hello, parley', { 'content-type': 'text/plain' });
      assert.equal(r.status, 201);
      assert.equal(r.body.key, 'docs/hello.txt');
      assert.equal(r.body.size, 13);
      assert.equal(r.body.etag, md5('hello, parley'));
      assert.equal(r.body.contentType, 'text/plain');
      assert.equal(r.body.visibility, 'app');
      assert.equal(r.body.ownerId, u.id);
      assert.equal(r.body.contentPath, `/v1/files/${r.body.id}/content`);

      const meta = await client(s.url, u.token).get(`/v1/files/${r.body.id}`);
      assert.deepEqual(meta.body, r.body);
      const byKey = await client(s.url, u.token).get('/v1/files', { query: { key: 'docs/hello.txt' } });
      assert.equal(byKey.body.id, r.body.id);

      const d = await download(`${s.url}/v1/files/${r.body.id}/content`, u.token);
      assert.equal(d.status, 200);
      assert.equal(d.text, 'hello, parley');
      assert.equal(d.headers.get('content-type'), 'text/plain');
      assert.equal(d.headers.get('x-content-type-options'), 'nosniff');
      assert.match(d.headers.get('content-security-policy') ?? '', /sandbox/);
      assert.equal(d.headers.get('etag'), `"${md5('hello, parley')}"`);
    });

    test('a multipart/form-data upload takes its fields and the file part; a key is generated when none is given', async () => {
      const u = await makeUser(s);
      const form = new FormData();
      form.append('key', 'forms/pic.png');
      form.append('visibility', 'public');
      form.append('file', new Blob([Buffer.from([0x89, 0x50, 0x4e, 0x47])], { type: 'image/png' }), 'pic.png');
      const r = await put(s.url, u.token, {}, form);
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.key, 'forms/pic.png');
      assert.equal(r.body.contentType, 'image/png');
      assert.equal(r.body.visibility, 'public');
      assert.equal(r.body.size, 4);

      const gen = await put(s.url, u.token, { filename: 'notes.txt' }, 'x', { 'content-type': 'text/plain' });
      assert.equal(gen.status, 201);
      assert.match(gen.body.key, /^f\/[0-9a-f]{24}\/notes\.txt$/);
    });

    test('keys are write-once: a second upload to a taken key is a conflict and changes nothing', async () => {
      const a = await makeUser(s);
      const b = await makeUser(s);
      assert.equal((await put(s.url, a.token, { key: 'once/k' }, 'first')).status, 201);
      const again = await put(s.url, b.token, { key: 'once/k' }, 'second');
      assert.equal(again.status, 409);
      assert.equal(again.body.error.code, 'conflict');
      const f = await client(s.url, a.token).get('/v1/files', { query: { key: 'once/k' } });
      assert.equal((await download(`${s.url}/v1/files/${f.body.id}/content`, a.token)).text, 'first');
    });

    test('download authorisation: private, app and public visibility; other apps see nothing', async () => {
      const owner = await makeUser(s);
      const stranger = await makeUser(s);
      const priv = (await put(s.url, owner.token, { key: 'auth/private', visibility: 'private' }, 'secret')).body;
      const appf = (await put(s.url, owner.token, { key: 'auth/app', visibility: 'app' }, 'members')).body;
      const pub = (await put(s.url, owner.token, { key: 'auth/public', visibility: 'public' }, 'everyone')).body;
      const content = (id: number) => `${s.url}/v1/files/${id}/content`;

      assert.equal((await download(content(priv.id), owner.token)).status, 200);
      assert.equal((await download(content(priv.id), s.adminToken)).status, 200);
      const denied = await download(content(priv.id), stranger.token);
      assert.equal(denied.status, 403);
      assert.equal(JSON.parse(denied.text).error.code, 'forbidden');
      assert.equal((await download(content(priv.id))).status, 401);
      assert.equal((await client(s.url, stranger.token).get(`/v1/files/${priv.id}`)).status, 403);

      assert.equal((await download(content(appf.id), stranger.token)).text, 'members');
      assert.equal((await download(content(appf.id))).status, 401);
      assert.equal((await download(content(pub.id))).text, 'everyone');

      const other = await s.core.apps.create('other');
      const foreignUser = await s.core.users.create(other.id, { handle: 'foreigner' });
      const foreign = await s.core.tokens.issue({ appId: other.id, kind: 'user', userId: foreignUser.id });
      assert.equal((await download(content(appf.id), foreign.token)).status, 404);
      assert.equal((await download(content(priv.id), foreign.token)).status, 404);
      assert.equal((await download(`${s.url}/v1/files/999999/content`, owner.token)).status, 404);
    });

    test('signed URLs grant a private file until they expire; only the owner may sign it; tampering fails', async () => {
      const owner = await makeUser(s);
      const stranger = await makeUser(s);
      const f = (await put(s.url, owner.token, { key: 'signed/p', visibility: 'private' }, 'shared')).body;
      const signed = await client(s.url, owner.token).post(`/v1/files/${f.id}/url`, { ttlSeconds: 60 });
      assert.equal(signed.status, 200);
      assert.equal(signed.body.expiresAt, s.clock!.now() + 60_000);
      assert.ok(signed.body.url.startsWith(s.url));
      assert.equal((await download(signed.body.url)).text, 'shared');
      assert.equal((await download(signed.body.url.replace(/signature=.../, 'signature=AAA'))).status, 403);
      assert.equal((await download(signed.body.url.replace(/expires=(\d+)/, (_m: string, n: string) => `expires=${Number(n) + 1000}`))).status, 403);
      assert.equal((await client(s.url, stranger.token).post(`/v1/files/${f.id}/url`, {})).status, 403);

      s.clock!.advance(61_000);
      const late = await download(signed.body.url);
      assert.equal(late.status, 403);
      assert.match(JSON.parse(late.text).error.message, /expired/);
    });

    test('key validation: .., absolute paths, empty segments, backslashes and control characters are refused', async () => {
      const u = await makeUser(s);
      for (const key of ['..', '../etc/passwd', 'a/../../b', './a', 'a/./b', '/abs/path', 'a//b', 'a/', 'C:evil', 'a\\b', 'bell\u0007', 'nul\u0000x', 'del\u007f', 'line\nbreak', 'x'.repeat(1025)]) {
        const r = await put(s.url, u.token, { key }, 'x');
        assert.equal(r.status, 400, `key ${JSON.stringify(key)}`);
        // Too long fails the schema, and NUL the guard every request passes (http/input-guard.ts), before the key rules.
        assert.equal(r.body.error.code, key.length > 1024 || key.includes('\u0000') ? 'invalid_argument' : 'invalid_key', `key ${JSON.stringify(key)}`);
      }
      const ok = await put(s.url, u.token, { key: 'ünïcode/文件 name (1).txt' }, 'x');
      assert.equal(ok.status, 201);
      assert.equal((await client(s.url, u.token).get('/v1/files', { query: { key: '../x' } })).body.error.code, 'invalid_key');
    });

    test('size limit: declared or streamed, an oversize upload is refused and leaves the key free', async () => {
      const u = await makeUser(s);
      const big = Buffer.alloc(MAX_OBJECT + 1, 1);
      const declared = await put(s.url, u.token, { key: 'big/declared' }, big);
      assert.equal(declared.status, 413);
      assert.equal(declared.body.error.code, 'object_too_large');

      // No Content-Length: the limit trips while streaming.
      const chunk = Buffer.alloc(16 * 1024, 2);
      let sent = 0;
      const stream = new ReadableStream({
        pull(controller) {
          if (sent >= MAX_OBJECT + chunk.length) return controller.close();
          sent += chunk.length;
          controller.enqueue(chunk);
        },
      });
      const streamed = await put(s.url, u.token, { key: 'big/streamed' }, stream, { 'content-type': 'application/octet-stream' });
      assert.equal(streamed.status, 413);
      assert.equal(streamed.body.error.code, 'object_too_large');
      assert.equal((await client(s.url, u.token).get('/v1/files', { query: { key: 'big/streamed' } })).status, 404);
      assert.equal((await put(s.url, u.token, { key: 'big/streamed' }, 'fits')).status, 201);
    });

    test('delete: owner or admin only; the key can be used again afterwards', async () => {
      const owner = await makeUser(s);
      const stranger = await makeUser(s);
      const f = (await put(s.url, owner.token, { key: 'del/me' }, 'bye')).body;
      assert.equal((await client(s.url, stranger.token).delete(`/v1/files/${f.id}`)).status, 403);
      assert.equal((await client(s.url, owner.token).delete(`/v1/files/${f.id}`)).status, 204);
      assert.equal((await client(s.url, owner.token).get(`/v1/files/${f.id}`)).status, 404);
      assert.equal((await download(`${s.url}/v1/files/${f.id}/content`, owner.token)).status, 404);
      assert.equal((await client(s.url, owner.token).delete(`/v1/files/${f.id}`)).status, 404);
      const again = await put(s.url, stranger.token, { key: 'del/me' }, 'mine now');
      assert.equal(again.status, 201);
      assert.equal((await client(s.url, s.adminToken).delete(`/v1/files/${again.body.id}`)).status, 204);
    });

    test('downloads honour one byte range (206/416), If-None-Match (304) and HEAD', async () => {
      const u = await makeUser(s);
      const f = (await put(s.url, u.token, { key: 'range/digits' }, '0123456789', { 'content-type': 'text/plain' })).body;
      const get = (headers: Record<string, string>, method = 'GET') => fetch(`${s.url}/v1/files/${f.id}/content`, { method, headers: { authorization: `Bearer ${u.token}`, ...headers } });
      const r1 = await get({ range: 'bytes=2-5' });
      assert.equal(r1.status, 206);
      assert.equal(await r1.text(), '2345');
      assert.equal(r1.headers.get('content-range'), 'bytes 2-5/10');
      assert.equal(r1.headers.get('content-length'), '4');
      assert.equal(await (await get({ range: 'bytes=7-' })).text(), '789');
      assert.equal(await (await get({ range: 'bytes=-3' })).text(), '789');
      assert.equal(await (await get({ range: 'bytes=8-100' })).text(), '89');
      const past = await get({ range: 'bytes=10-' });
      assert.equal(past.status, 416);
      assert.equal(past.headers.get('content-range'), 'bytes */10');
      const several = await get({ range: 'bytes=0-1,4-5' });
      assert.equal(several.status, 200, 'several ranges: the whole file');
      assert.equal(await several.text(), '0123456789');
      const etag = several.headers.get('etag')!;
      assert.equal((await get({ 'if-none-match': etag })).status, 304);
      assert.equal((await get({ 'if-none-match': '"other"' })).status, 200);
      const head = await get({}, 'HEAD');
      assert.equal(head.status, 200);
      assert.equal(head.headers.get('content-length'), '10');
      assert.equal(head.headers.get('accept-ranges'), 'bytes');
    });

    test('conditional downloads follow RFC 9110: weak If-None-Match, If-Modified-Since, If-Match / If-Unmodified-Since (412), If-Range', async () => {
      const u = await makeUser(s);
      const f = (await put(s.url, u.token, { key: 'cond/digits' }, '0123456789', { 'content-type': 'text/plain' })).body;
      const get = (headers: Record<string, string>, method = 'GET') => fetch(`${s.url}/v1/files/${f.id}/content`, { method, headers: { authorization: `Bearer ${u.token}`, ...headers } });
      const whole = await get({});
      const etag = whole.headers.get('etag')!;
      const lastModified = whole.headers.get('last-modified')!;
      assert.equal(etag, `"${f.etag}"`);
      assert.equal(lastModified, new Date(f.updatedAt).toUTCString());
      const earlier = new Date(f.updatedAt - 5000).toUTCString();
      const later = new Date(f.updatedAt + 5000).toUTCString();

      // If-None-Match compares weakly, in a list, and * matches any file.
      for (const inm of [etag, `W/${etag}`, `"a", W/${etag}`, '*']) {
        const r = await get({ 'if-none-match': inm });
        assert.equal(r.status, 304, inm);
        assert.equal(r.headers.get('etag'), etag, `${inm}: a 304 still names the validator`);
        assert.equal(await r.text(), '');
      }
      assert.equal((await get({ 'if-none-match': 'W/"other"' })).status, 200);
      // If-Modified-Since: not modified since then (seconds precision); ignored beside If-None-Match.
      assert.equal((await get({ 'if-modified-since': lastModified })).status, 304);
      assert.equal((await get({ 'if-modified-since': later })).status, 304);
      assert.equal((await get({ 'if-modified-since': earlier })).status, 200);
      assert.equal((await get({ 'if-modified-since': 'not a date' })).status, 200);
      assert.equal((await get({ 'if-none-match': '"other"', 'if-modified-since': later })).status, 200, 'If-None-Match wins');
      assert.equal((await get({ 'if-none-match': etag }, 'HEAD')).status, 304);

      // If-Match compares strongly; If-Unmodified-Since.
      assert.equal((await get({ 'if-match': etag })).status, 200);
      assert.equal((await get({ 'if-match': '*' })).status, 200);
      const failed = await get({ 'if-match': `W/${etag}` });
      assert.equal(failed.status, 412);
      assert.equal((await failed.json()).error.code, 'precondition_failed');
      assert.equal((await get({ 'if-match': '"other"' })).status, 412);
      assert.equal((await get({ 'if-unmodified-since': earlier })).status, 412);
      assert.equal((await get({ 'if-unmodified-since': later })).status, 200);

      // If-Range: the range only while the file is the one the client has.
      const ranged = (ifRange: string) => get({ range: 'bytes=2-4', 'if-range': ifRange });
      assert.equal((await ranged(etag)).status, 206);
      assert.equal((await ranged(lastModified)).status, 206);
      const stale = await ranged('"other"');
      assert.equal(stale.status, 200);
      assert.equal(await stale.text(), '0123456789');
      assert.equal((await ranged(`W/${etag}`)).status, 200, 'a weak tag never validates a range');
      assert.equal((await ranged(earlier)).status, 200);

      // range-parser: overlapping ranges combine into one; another unit or a malformed header is ignored;
      // an inverted or zero-length range is refused (416, which RFC 9110 §15.5.17 allows for invalid ranges).
      const combined = await get({ range: 'bytes=1-2,2-4' });
      assert.equal(combined.status, 206);
      assert.equal(await combined.text(), '1234');
      assert.equal((await get({ range: 'items=0-1' })).status, 200);
      assert.equal((await get({ range: 'bytes' })).status, 200);
      assert.equal((await get({ range: 'bytes=5-2' })).status, 416);
      assert.equal((await get({ range: 'bytes=-0' })).status, 416);
    });

    test('a client that drops the connection midway leaves no file and no reservation behind', async () => {
      const u = await makeUser(s);
      const { request } = await import('node:http');
      const url = new URL(`${s.url}/v1/files?key=dropped/upload`);
      await new Promise<void>((resolve) => {
        const req = request(url, { method: 'POST', headers: { authorization: `Bearer ${u.token}`, 'content-type': 'application/octet-stream', 'content-length': String(MAX_OBJECT) } });
        req.on('error', () => resolve());
        req.write(Buffer.alloc(1024, 1), () => setImmediate(() => {
          req.destroy();
          resolve();
        }));
      });
      // The server notices the reset asynchronously: wait (bounded) until the key is free again.
      let status = 0;
      for (let i = 0; i < 100 && status !== 201; i++) {
        assert.equal((await client(s.url, u.token).get('/v1/files', { query: { key: 'dropped/upload' } })).status, 404, 'never half-visible');
        status = (await put(s.url, u.token, { key: 'dropped/upload' }, 'complete this time')).status;
        if (status !== 201) await new Promise((r) => setTimeout(r, 20));
      }
      assert.equal(status, 201);
    });

    test('an empty file is stored, unless the caller refuses empty files (dtalk: -1009)', async () => {
      const u = await makeUser(s);
      const empty = await put(s.url, u.token, { key: 'empty/ok' }, '');
      assert.equal(empty.status, 201);
      assert.equal(empty.body.size, 0);
      const refused = await put(s.url, u.token, { key: 'empty/no', allowEmpty: 'false' }, '');
      assert.deepEqual([refused.status, refused.body.error?.code], [400, 'empty_file']);
      assert.equal((await client(s.url, u.token).get('/v1/files', { query: { key: 'empty/no' } })).status, 404);
    });

    test('uploads need a token; bad visibility and content types are 400', async () => {
      assert.equal((await put(s.url, undefined, { key: 'anon/x' }, 'x')).status, 401);
      const u = await makeUser(s);
      assert.equal((await put(s.url, u.token, { key: 'v/x', visibility: 'world' }, 'x')).status, 400);
      assert.equal((await put(s.url, u.token, { key: 'v/y' }, 'x', { 'content-type': 'not a type' })).status, 400);
    });
  });
}
