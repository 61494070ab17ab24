// Upload bodies that go wrong, sent over a raw socket to a listening server:
// a form cut before its closing boundary, a form without a boundary, a file
// part over the limit, a client that hangs up mid-upload. Each ends as a clear
// 4xx (or a closed connection), stores nothing, and leaves the process
// answering. Before the fix a truncated form made busboy's 'error' go
// unhandled (the process exited), and an oversize form part was stored cut
// short with 201.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { client } from '../../support/http.ts';
import { makeUser } from '../../support/fixtures.ts';
import { lanying } from '../../support/lanying.ts';

const MAX = 64 * 1024;
const BOUNDARY = 'xx';
const filePart = (bytes: string) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\nContent-Type: application/octet-stream\r\n\r\n${bytes}`;
const fieldPart = (name: string, value: string) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
const closed = `\r\n--${BOUNDARY}--\r\n`;

interface RawAnswer {
  status: number;
  body: any;
}

/** Sends one request as bytes and reads the answer until the server closes the connection. */
function rawRequest(url: string, method: string, path: string, headers: Record<string, string>, body: string): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (d) => chunks.push(d));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString();
      const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
      if (!m) return reject(new Error(`no HTTP answer: ${JSON.stringify(text.slice(0, 200))}`));
      const payload = text.slice(text.indexOf('\r\n\r\n') + 4);
      resolve({ status: Number(m[1]), body: payload ? JSON.parse(payload) : undefined });
    });
    const bytes = Buffer.from(body);
    const head = Object.entries({ host: `${hostname}:${port}`, ...headers, 'content-length': String(bytes.length), connection: 'close' })
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('');
    socket.write(`${method} ${path} HTTP/1.1\r\n${head}\r\n`);
    socket.write(bytes);
  });
}

describe('upload bodies that break off, lack a boundary or exceed the limit', () => {
  let s: TestServer;
  let blobRoot: string;
  before(async () => {
    s = await startTestServer({ config: { maxObjectSize: MAX, maxPartSize: MAX, minPartSize: 1 } });
    blobRoot = join(s.db.dataDir, 'blobs');
  });
  after(() => s.stop());

  const form = { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` };
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const stillServing = async () => {
    const health = await client(s.url).get('/healthz');
    assert.deepEqual([health.status, health.body], [200, { status: 'ok' }]);
  };
  const inFlightBytes = async () => {
    try {
      return await readdir(join(blobRoot, 'tmp'));
    } catch {
      return [];
    }
  };

  /** The three native routes that take a file body, each with a fresh target. */
  const routes = async (token: string) => {
    const c = client(s.url, token);
    const upload = (await c.post('/v1/uploads', { key: `parts/${Math.random()}` })).body;
    const cred = (await c.post('/v1/uploads/credentials', { key: `direct/${Math.random()}`, via: 'parley' })).body;
    return [
      { name: 'POST /v1/files', method: 'POST', path: `/v1/files?key=one/${Math.random()}`, headers: auth(token), stored: async (path: string) => (await c.get('/v1/files', { query: { key: new URL(path, s.url).searchParams.get('key')! } })).status !== 404 },
      { name: 'PUT /v1/uploads/{id}/parts/{n}', method: 'PUT', path: `/v1/uploads/${upload.id}/parts/1`, headers: auth(token), stored: async () => (await c.get(`/v1/uploads/${upload.id}`)).body.parts.length > 0 },
      { name: 'PUT /v1/uploads/direct', method: 'PUT', path: `/v1/uploads/direct?credential=${cred.token}`, headers: {}, stored: async () => (await c.get(`/v1/files/${cred.fileId}`)).status !== 404 },
    ];
  };

  test('a form cut before its closing boundary answers 400 and the process keeps serving', async () => {
    const u = await makeUser(s);
    for (const r of await routes(u.token)) {
      const answer = await rawRequest(s.url, r.method, r.path, { ...r.headers, ...form }, filePart('abc'));
      assert.equal(answer.status, 400, `${r.name}: ${JSON.stringify(answer.body)}`);
      assert.equal(answer.body.error.code, 'invalid_argument', r.name);
      assert.equal(answer.body.error.message, 'the form ended before its closing boundary', r.name);
      assert.equal(await r.stored(r.path), false, `${r.name} stored nothing`);
      await stillServing();
    }
    assert.deepEqual(await inFlightBytes(), [], 'no bytes left in flight');
  });

  test('multipart/form-data without a boundary answers 400, not 500', async () => {
    const u = await makeUser(s);
    for (const r of await routes(u.token)) {
      const answer = await rawRequest(s.url, r.method, r.path, { ...r.headers, 'content-type': 'multipart/form-data' }, filePart('abc') + closed);
      assert.equal(answer.status, 400, `${r.name}: ${JSON.stringify(answer.body)}`);
      assert.deepEqual(answer.body, { error: { code: 'invalid_argument', message: 'the form could not be read: Multipart: Boundary not found' } }, r.name);
    }
    await stillServing();
  });

  test('a form whose file part is over the limit answers 413 and stores nothing (not the first bytes with 201)', async () => {
    const u = await makeUser(s);
    for (const r of await routes(u.token)) {
      const answer = await rawRequest(s.url, r.method, r.path, { ...r.headers, ...form }, filePart('a'.repeat(MAX + 1)) + closed);
      assert.equal(answer.status, 413, `${r.name}: ${JSON.stringify(answer.body)}`);
      assert.equal(answer.body.error.code, 'object_too_large', r.name);
      assert.equal(answer.body.error.details.maxBytes, MAX, r.name);
      assert.equal(await r.stored(r.path), false, `${r.name} stored nothing`);
    }
    // Exactly the limit is still accepted.
    const fits = await rawRequest(s.url, 'POST', '/v1/files?key=fits', { ...auth(u.token), ...form }, filePart('b'.repeat(MAX)) + closed);
    assert.equal(fits.status, 201, JSON.stringify(fits.body));
    assert.equal(fits.body.size, MAX);
    assert.deepEqual(await inFlightBytes(), []);
  });

  test('the lanying avatar form (POST /v1/uploads/direct with the policy field) over the limit answers 413; the avatar stays unset', async () => {
    const owner = await makeUser(s);
    const l = lanying(s.url, { appId: s.appId, token: owner.token });
    const g = (await l.post('/group/create', { name: 'g' })).body.data.group_id;
    const { upload_url, download_url, oss_body_param } = (await l.get('/file/upload/avatar/group', { group_id: g })).body.data;
    const fields = Object.entries(oss_body_param as Record<string, string>).map(([k, v]) => fieldPart(k, v)).join('');
    const path = new URL(upload_url).pathname;
    const answer = await rawRequest(s.url, 'POST', path, form, fields + filePart('p'.repeat(MAX + 1)) + closed);
    assert.equal(answer.status, 413, JSON.stringify(answer.body));
    assert.equal(answer.body.error.code, 'object_too_large');
    assert.equal((await fetch(download_url)).status, 404, 'nothing stored');
  });

  test('a client that hangs up mid-upload stores nothing, and the key stays free', async () => {
    const u = await makeUser(s);
    const { hostname, port } = new URL(s.url);
    for (const contentType of ['application/octet-stream', form['content-type']]) {
      const key = `gone/${Math.random()}`;
      const socket = connect(Number(port), hostname);
      await new Promise<void>((resolve) => socket.on('connect', resolve));
      socket.write(`POST /v1/files?key=${key} HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${u.token}\r\ncontent-type: ${contentType}\r\ncontent-length: 60000\r\n\r\n`);
      socket.write(contentType.startsWith('multipart') ? filePart('x'.repeat(20_000)) : 'x'.repeat(20_000));
      // Bytes in the store's spool show the server is reading the body before the client leaves.
      for (let i = 0; i < 500 && (await inFlightBytes()).length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      assert.equal((await inFlightBytes()).length, 1, `${contentType}: the upload is in flight`);
      socket.destroy();
      // The key is released once the server has seen the hang-up.
      const c = client(s.url, u.token);
      let retry = await c.post(`/v1/files?key=${key}`, undefined, { raw: 'whole', headers: { 'content-type': 'text/plain' } });
      for (let i = 0; i < 500 && retry.status === 409; i++) {
        await new Promise((r) => setTimeout(r, 10));
        retry = await c.post(`/v1/files?key=${key}`, undefined, { raw: 'whole', headers: { 'content-type': 'text/plain' } });
      }
      assert.equal(retry.status, 201, `${contentType}: ${retry.text}`);
      assert.equal(retry.body.size, 5);
    }
    await stillServing();
    assert.deepEqual(await inFlightBytes(), []);
  });
});

describe('an upload body that stalls', () => {
  const IDLE_MS = 300;
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ config: { uploadIdleMs: IDLE_MS } });
  });
  after(() => s.stop());

  test('fails after PARLEY_UPLOAD_IDLE_MS without a byte: a 400 or a closed connection, nothing stored, the key free', async () => {
    const u = await makeUser(s);
    const { hostname, port } = new URL(s.url);
    for (const contentType of ['application/octet-stream', `multipart/form-data; boundary=${BOUNDARY}`]) {
      const key = `stalled/${Math.random()}`;
      const socket = connect(Number(port), hostname);
      await new Promise<void>((resolve) => socket.on('connect', resolve));
      const answer = new Promise<string>((resolve) => {
        let text = '';
        socket.on('data', (d) => (text += d.toString()));
        socket.on('error', () => {});
        // The positive signal: the server answers, or closes the connection.
        socket.on('data', () => text.includes('\r\n\r\n') && resolve(text));
        socket.on('close', () => resolve(text));
      });
      socket.write(`POST /v1/files?key=${key} HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${u.token}\r\ncontent-type: ${contentType}\r\ncontent-length: 60000\r\n\r\n`);
      socket.write(contentType.startsWith('multipart') ? filePart('x'.repeat(1000)) : 'x'.repeat(1000));
      const started = Date.now();
      const text = await answer;
      assert.ok(Date.now() - started >= IDLE_MS - 50, `${contentType}: not before the idle time`);
      if (text !== '') {
        assert.match(text, /^HTTP\/1\.1 400 /, contentType);
        assert.match(text, /the object stalled: no bytes for 300 ms/, contentType);
      }
      socket.destroy();
      const c = client(s.url, u.token);
      // The reservation is released as the failed upload unwinds: wait (bounded) for the key to be free.
      let retry = await c.post(`/v1/files?key=${key}`, undefined, { raw: 'whole', headers: { 'content-type': 'text/plain' } });
      for (let i = 0; i < 500 && retry.status === 409; i++) {
        await new Promise((r) => setTimeout(r, 10));
        retry = await c.post(`/v1/files?key=${key}`, undefined, { raw: 'whole', headers: { 'content-type': 'text/plain' } });
      }
      assert.equal(retry.status, 201, `${contentType}: the key is free: ${retry.text}`);
    }
    const health = await client(s.url).get('/healthz');
    assert.equal(health.status, 200);
  });
});
