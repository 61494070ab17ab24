// Multipart uploads, temporary upload credentials and the cleanup of
// abandoned uploads, on every blob store, over real HTTP.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { client } from '../../support/http.ts';
import { makeUser } from '../../support/fixtures.ts';
import { storeVariants } from '../../support/stores.ts';

const md5 = (s: string | Buffer) => createHash('md5').update(s).digest('hex');
const MIN_PART = 1024;
const MAX_PART = 8 * 1024;
const MAX_AGE_S = 3600;

async function send(url: string, method: string, body: BodyInit, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method, body, headers });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, text };
}

const partUrl = (base: string, id: number, n: number) => `${base}/v1/uploads/${id}/parts/${n}`;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

for (const variant of storeVariants) {
  describe(`native uploads (${variant.name} store)`, () => {
    let s: TestServer;
    let stopStore: () => Promise<void>;
    before(async () => {
      const store = await variant.start();
      stopStore = store.stop;
      s = await startTestServer({ manualClock: true, config: { ...store.config, minPartSize: MIN_PART, maxPartSize: MAX_PART, maxObjectSize: 64 * 1024, multipartMaxAge: MAX_AGE_S, uploadCredentialTtl: 300 } });
    });
    after(async () => {
      await s.stop();
      await stopStore();
    });

    test('multipart: init, parts in any order (raw and form-data), complete with the ETag list, download the whole', async () => {
      const u = await makeUser(s);
      const c = client(s.url, u.token);
      const init = await c.post('/v1/uploads', { key: 'mp/video.bin', contentType: 'application/octet-stream', visibility: 'private' });
      assert.equal(init.status, 201);
      assert.equal(init.body.key, 'mp/video.bin');
      assert.equal(init.body.minPartSize, MIN_PART);
      const id = init.body.id;
      const a = Buffer.alloc(MIN_PART, 'a');
      const b = Buffer.alloc(MIN_PART + 10, 'b');
      const tail = Buffer.from('tail');

      const p2 = await send(partUrl(s.url, id, 2), 'PUT', b, bearer(u.token));
      assert.equal(p2.status, 200, p2.text);
      assert.deepEqual(p2.body, { uploadId: id, key: 'mp/video.bin', partNumber: 2, etag: md5(b), size: b.length });
      const form = new FormData();
      form.append('file', new Blob([a]), 'chunk');
      const p1 = await send(partUrl(s.url, id, 1), 'PUT', form, bearer(u.token));
      assert.equal(p1.body.etag, md5(a));
      const p3 = await send(`${partUrl(s.url, id, 3)}?key=mp/video.bin`, 'PUT', tail, bearer(u.token));
      assert.equal(p3.status, 200);
      assert.equal((await c.get('/v1/files', { query: { key: 'mp/video.bin' } })).status, 404, 'not visible before completion');

      const listed = await c.get(`/v1/uploads/${id}`);
      assert.deepEqual(listed.body.parts.map((p: { partNumber: number }) => p.partNumber), [1, 2, 3]);

      const done = await c.post(`/v1/uploads/${id}/complete`, { parts: [{ partNumber: 3, etag: p3.body.etag }, { partNumber: 1, etag: `"${p1.body.etag}"` }, { partNumber: 2, etag: p2.body.etag }] });
      assert.equal(done.status, 200, done.text);
      assert.equal(done.body.size, a.length + b.length + tail.length);
      assert.equal(done.body.visibility, 'private');
      const bytes = Buffer.from(await (await fetch(`${s.url}/v1/files/${done.body.id}/content`, { headers: bearer(u.token) })).arrayBuffer());
      assert.ok(bytes.equals(Buffer.concat([a, b, tail])));
      assert.equal((await c.get(`/v1/uploads/${id}`)).status, 404, 'the upload is gone once completed');
    });

    test('complete refuses wrong ETags, unknown and duplicate parts, and small non-last parts', async () => {
      const u = await makeUser(s);
      const c = client(s.url, u.token);
      const id = (await c.post('/v1/uploads', { key: 'mp/bad' })).body.id;
      const small = Buffer.alloc(10, 's');
      const big = Buffer.alloc(MIN_PART, 'b');
      const p1 = (await send(partUrl(s.url, id, 1), 'PUT', small, bearer(u.token))).body;
      const p2 = (await send(partUrl(s.url, id, 2), 'PUT', big, bearer(u.token))).body;
      const wrong = await c.post(`/v1/uploads/${id}/complete`, { parts: [{ partNumber: 1, etag: md5('nope') }] });
      assert.equal(wrong.body.error.code, 'invalid_argument');
      assert.equal((await c.post(`/v1/uploads/${id}/complete`, { parts: [{ partNumber: 7, etag: p1.etag }] })).status, 400);
      assert.equal((await c.post(`/v1/uploads/${id}/complete`, { parts: [{ partNumber: 2, etag: p2.etag }, { partNumber: 2, etag: p2.etag }] })).status, 400);
      assert.equal((await c.post(`/v1/uploads/${id}/complete`, { parts: [] })).status, 400);
      const tooSmall = await c.post(`/v1/uploads/${id}/complete`, { parts: [{ partNumber: 1, etag: p1.etag }, { partNumber: 2, etag: p2.etag }] });
      assert.equal(tooSmall.status, 400);
      assert.equal(tooSmall.body.error.code, 'part_too_small');
      // Re-sending part 1 at full size fixes it.
      const p1b = (await send(partUrl(s.url, id, 1), 'PUT', big, bearer(u.token))).body;
      const ok = await c.post(`/v1/uploads/${id}/complete`, { parts: [{ partNumber: 1, etag: p1b.etag }, { partNumber: 2, etag: p2.etag }] });
      assert.equal(ok.status, 200, ok.text);
      assert.equal(ok.body.size, 2 * MIN_PART);
    });

    test('parts: number range, size limit, key check, and only the uploader may send them', async () => {
      const u = await makeUser(s);
      const other = await makeUser(s);
      const id = (await client(s.url, u.token).post('/v1/uploads', { key: 'mp/limits' })).body.id;
      assert.equal((await send(partUrl(s.url, id, 0), 'PUT', 'x', bearer(u.token))).status, 400);
      assert.equal((await send(partUrl(s.url, id, 10001), 'PUT', 'x', bearer(u.token))).status, 400);
      assert.equal((await send(partUrl(s.url, id, 10000), 'PUT', 'x', bearer(u.token))).status, 200);
      const over = await send(partUrl(s.url, id, 1), 'PUT', Buffer.alloc(MAX_PART + 1), bearer(u.token));
      assert.equal(over.status, 413);
      assert.equal(over.body.error.code, 'object_too_large');
      assert.equal((await send(`${partUrl(s.url, id, 1)}?key=mp/other`, 'PUT', 'x', bearer(u.token))).status, 404);
      assert.equal((await send(partUrl(s.url, id, 1), 'PUT', 'x', bearer(other.token))).status, 403);
      assert.equal((await send(partUrl(s.url, 987654321, 1), 'PUT', 'x', bearer(u.token))).status, 404);
    });

    test('abort discards the upload and frees the key; a multipart key is reserved while it runs', async () => {
      const u = await makeUser(s);
      const c = client(s.url, u.token);
      const id = (await c.post('/v1/uploads', { key: 'mp/abort' })).body.id;
      await send(partUrl(s.url, id, 1), 'PUT', 'some bytes', bearer(u.token));
      const clash = await send(`${s.url}/v1/files?key=mp/abort`, 'POST', 'x', bearer(u.token));
      assert.equal(clash.status, 409);
      assert.equal((await c.delete(`/v1/uploads/${id}`)).status, 204);
      assert.equal((await c.delete(`/v1/uploads/${id}`)).status, 404);
      assert.equal((await send(partUrl(s.url, id, 2), 'PUT', 'x', bearer(u.token))).status, 404);
      assert.equal((await send(`${s.url}/v1/files?key=mp/abort`, 'POST', 'x', bearer(u.token))).status, 201);
    });

    test('cleanup aborts multipart uploads past the configured age and releases lapsed reservations', async () => {
      const u = await makeUser(s);
      const c = client(s.url, u.token);
      const old = (await c.post('/v1/uploads', { key: 'mp/orphan' })).body.id;
      await send(partUrl(s.url, old, 1), 'PUT', 'left behind', bearer(u.token));
      const cred = await c.post('/v1/uploads/credentials', { key: 'cred/never-used', via: 'parley' });
      assert.equal(cred.status, 201);
      s.clock!.advance((MAX_AGE_S - 1) * 1000);
      const young = (await c.post('/v1/uploads', { key: 'mp/young' })).body.id;
      await s.core.uploads.cleanup();
      assert.equal((await c.get(`/v1/uploads/${old}`)).status, 200, 'not yet past the age');
      s.clock!.advance(2000);
      // Earlier tests in this suite left unfinished uploads too; they are as old.
      assert.ok((await s.core.uploads.cleanup()).abortedUploads >= 1);
      assert.equal((await c.get(`/v1/uploads/${old}`)).status, 404);
      assert.equal((await c.get(`/v1/uploads/${young}`)).status, 200);
      assert.equal((await send(`${s.url}/v1/files?key=mp/orphan`, 'POST', 'x', bearer(u.token))).status, 201);
      // The credential's reservation lapses after its lifetime plus the same grace.
      assert.equal((await send(`${s.url}/v1/files?key=cred/never-used`, 'POST', 'x', bearer(u.token))).status, 409, 'still reserved');
      s.clock!.advance(300 * 1000);
      assert.equal((await s.core.uploads.cleanup()).releasedKeys >= 1, true);
      assert.equal((await send(`${s.url}/v1/files?key=cred/never-used`, 'POST', 'x', bearer(u.token))).status, 201);
    });

    test('a Parley upload credential stores one object without a bearer token, once, before it expires', async () => {
      const u = await makeUser(s);
      const c = client(s.url, u.token);
      const cred = await c.post('/v1/uploads/credentials', { key: 'cred/a.txt', contentType: 'text/plain', via: 'parley', maxBytes: 100 });
      assert.equal(cred.status, 201);
      assert.equal(cred.body.kind, 'parley');
      assert.equal(cred.body.method, 'PUT');
      assert.equal(cred.body.url, `${s.url}/v1/uploads/direct`);
      assert.equal(cred.body.expiresAt, s.clock!.now() + 300_000);
      const headers = cred.body.headers as Record<string, string>;
      assert.equal((await send(cred.body.url, 'PUT', Buffer.alloc(101), headers)).status, 413);
      const stored = await send(cred.body.url, 'PUT', 'direct bytes', headers);
      assert.equal(stored.status, 201, stored.text);
      assert.equal(stored.body.key, 'cred/a.txt');
      assert.equal(stored.body.ownerId, u.id);
      assert.equal(stored.body.contentType, 'text/plain');
      assert.equal((await send(cred.body.url, 'PUT', 'again', headers)).status, 409);
      assert.equal((await (await fetch(`${s.url}/v1/files/${stored.body.id}/content`, { headers: bearer(u.token) })).text()), 'direct bytes');

      assert.equal((await send(`${s.url}/v1/uploads/direct`, 'PUT', 'x')).status, 401);
      // A character well inside the signature: the last one carries padding bits that may not change the bytes.
      const tampered = cred.body.token.replace(/.(.{9})$/, (m: string, tail: string) => (m[0] === 'A' ? 'B' : 'A') + tail);
      assert.equal((await send(`${s.url}/v1/uploads/direct?credential=${tampered}`, 'PUT', 'x')).status, 401);

      const late = await c.post('/v1/uploads/credentials', { key: 'cred/late', via: 'parley' });
      s.clock!.advance(301_000);
      const expired = await send(`${s.url}/v1/uploads/direct?credential=${late.body.token}`, 'PUT', 'x');
      assert.equal(expired.status, 401);
      assert.equal(expired.body.error.code, 'token_expired');
    });

    test('credential keys are validated and reserved', async () => {
      const u = await makeUser(s);
      const c = client(s.url, u.token);
      assert.equal((await c.post('/v1/uploads/credentials', { key: '../x' })).body.error.code, 'invalid_key');
      assert.equal((await c.post('/v1/uploads/credentials', { key: 'cred/held' })).status, 201);
      assert.equal((await c.post('/v1/uploads/credentials', { key: 'cred/held' })).status, 409);
      assert.equal((await c.post('/v1/uploads/credentials', { maxBytes: 10 ** 9 })).status, 400);
    });

    if (variant.name === 's3') {
      test('with S3 the credential is a presigned POST straight to the store, confirmed afterwards', async () => {
        const u = await makeUser(s);
        const c = client(s.url, u.token);
        const cred = await c.post('/v1/uploads/credentials', { key: 'direct/photo.jpg', contentType: 'image/jpeg', visibility: 'public' });
        assert.equal(cred.body.kind, 'presigned-post');
        assert.equal(cred.body.method, 'POST');
        assert.ok(!cred.body.url.startsWith(s.url), 'the bytes go to the store, not to Parley');
        assert.equal((await c.post(`/v1/uploads/direct/${cred.body.fileId}/confirm`)).body.error.code, 'object_not_found');
        const form = new FormData();
        for (const [k, v] of Object.entries(cred.body.fields as Record<string, string>)) form.append(k, v);
        form.append('file', new Blob([Buffer.from('jpeg bytes')], { type: 'image/jpeg' }));
        const posted = await fetch(cred.body.url, { method: 'POST', body: form });
        assert.ok(posted.status === 204 || posted.status === 201 || posted.status === 200, String(posted.status));
        const other = await makeUser(s);
        assert.equal((await client(s.url, other.token).post(`/v1/uploads/direct/${cred.body.fileId}/confirm`)).status, 403);
        const confirmed = await c.post(cred.body.confirmUrl.slice(s.url.length));
        assert.equal(confirmed.status, 200, confirmed.text);
        assert.equal(confirmed.body.size, 10);
        assert.equal(confirmed.body.etag, md5('jpeg bytes'));
        assert.equal(await (await fetch(`${s.url}/v1/files/${confirmed.body.id}/content`)).text(), 'jpeg bytes');
        assert.equal((await c.post(`/v1/uploads/direct/${cred.body.fileId}/confirm`)).status, 404);
      });
    } else {
      test('without a store that takes direct uploads, credentials are always Parley credentials', async () => {
        const u = await makeUser(s);
        const cred = await client(s.url, u.token).post('/v1/uploads/credentials', { key: 'cred/local' });
        assert.equal(cred.body.kind, 'parley');
      });
    }
  });
}
