// dtalk object storage with files larger than a stream's chunk: the file
// part goes to the store as it arrives (src/http/dtalk/oss-form.ts), or by way
// of a temporary file when the form sends its fields after the file; a
// download comes back byte-exact, whole and by range; an upload over the
// limit is refused with -10202 (上传文件太大) and leaves nothing stored: its
// key stays free, its part is not recorded, no temporary file remains.

import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTestS3, type TestS3 } from '../../support/s3.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { DtalkUser, rawPost } from './support.ts';

const MiB = 1024 * 1024;

/** Bytes no shifted or repeated chunk can match. */
function pattern(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

/** A form with `fields` before the file part, or after it. */
function form(fields: Record<string, string>, file: Uint8Array, fieldsFirst = true): FormData {
  const f = new FormData();
  const put = () => Object.entries(fields).forEach(([k, v]) => f.append(k, v));
  if (fieldsFirst) put();
  f.append('file', new Blob([Buffer.from(file)]), 'blob');
  if (!fieldsFirst) put();
  return f;
}

const spools = () => readdirSync(tmpdir()).filter((n) => n.startsWith('parley-oss-') || n.startsWith('parley-s3-part-'));

async function download(url: string, range?: string): Promise<{ status: number; bytes: Buffer; contentRange: string | null }> {
  const r = await fetch(url, range ? { headers: { range } } : {});
  return { status: r.status, bytes: Buffer.from(await r.arrayBuffer()), contentRange: r.headers.get('content-range') };
}

describe('dtalk object storage streams large files', () => {
  let server: TestServer;
  let alice: DtalkUser;
  const blobDir = mkdtempSync(join(tmpdir(), 'dtalk-oss-blobs-'));
  const post = (path: string, body: FormData) => rawPost(server.url, path, { 'FZM-SIGNATURE': alice.token() }, body);
  before(async () => {
    server = await startTestServer({ manualClock: true, config: { maxObjectSize: 4 * MiB, maxPartSize: 4 * MiB, blobDir } });
    alice = new DtalkUser(server);
  });
  after(async () => {
    await server.stop();
    rmSync(blobDir, { recursive: true, force: true });
  });

  test('the file reaches the store while it is still arriving: it is never held whole', async () => {
    const boundary = 'parley-oss-boundary';
    const head =
      `--${boundary}\r\ncontent-disposition: form-data; name="appId"\r\n\r\ndtalk\r\n` +
      `--${boundary}\r\ncontent-disposition: form-data; name="key"\r\n\r\nslow/file.bin\r\n` +
      `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="blob"\r\ncontent-type: application/octet-stream\r\n\r\n`;
    const [first, rest] = [pattern(2 * MiB, 4), pattern(MiB, 5)];
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const body = new ReadableStream<Uint8Array>({
      async start(c) {
        c.enqueue(new TextEncoder().encode(head));
        c.enqueue(first);
        await gate;
        c.enqueue(rest);
        c.enqueue(new TextEncoder().encode(`\r\n--${boundary}--\r\n`));
        c.close();
      },
    });
    const pending = fetch(`${server.url}/oss/upload`, { method: 'POST', headers: { 'FZM-SIGNATURE': alice.token(), 'content-type': `multipart/form-data; boundary=${boundary}` }, body, duplex: 'half' } as RequestInit);
    // The store's bytes in flight (local store: <root>/tmp/) grow before the rest is sent.
    const inFlight = () => readdirSync(join(blobDir, 'tmp')).reduce((n, f) => n + statSync(join(blobDir, 'tmp', f)).size, 0);
    let stored = 0;
    for (let i = 0; i < 200 && stored < MiB; i++) {
      await new Promise((r) => setTimeout(r, 25));
      try {
        stored = inFlight();
      } catch {
        stored = 0; // tmp/ not made yet
      }
    }
    release();
    assert.ok(stored >= MiB, `${stored} bytes had reached the store while the rest was held back`);
    const r = await pending;
    const answer = JSON.parse(await r.text());
    assert.equal(answer.result, 0, JSON.stringify(answer));
    assert.ok((await download(answer.data.url)).bytes.equals(Buffer.concat([first, rest])));
  });

  test('a file of several chunks round-trips byte-exact, whole and by range, whatever the order of the form', async () => {
    const bytes = pattern(3 * MiB + 17, 1);
    for (const fieldsFirst of [true, false]) {
      const key = `large/${fieldsFirst ? 'fields-first' : 'file-first'}.bin`;
      const r = await post('/oss/upload', form({ appId: 'dtalk', key }, bytes, fieldsFirst));
      assert.equal(r.body.result, 0, r.text);
      const whole = await download(r.body.data.url);
      assert.equal(whole.status, 200);
      assert.ok(whole.bytes.equals(bytes), `${key}: the bytes that came back are the bytes sent`);
      // The object URL redirects to the content, which serves ranges.
      const content = (await fetch(r.body.data.url, { redirect: 'manual' })).headers.get('location') as string;
      const part = await download(new URL(content, server.url).toString(), 'bytes=1000000-2100000');
      assert.equal(part.status, 206);
      assert.equal(part.contentRange, `bytes 1000000-2100000/${bytes.length}`);
      assert.ok(part.bytes.equals(bytes.subarray(1000000, 2100001)));
    }
    // A part whose fields follow it.
    const init = await alice.post('/oss/init-multipart-upload', { appId: 'dtalk', key: 'large/parts.bin' });
    const { uploadId, key } = init.body.data;
    const p = await post('/oss/upload-part', form({ appId: 'dtalk', key, uploadId, partNumber: '1' }, bytes, false));
    assert.equal(p.body.result, 0, p.text);
    assert.equal(p.body.data.uploadId, uploadId);
    const done = await alice.post('/oss/complete-multipart-upload', { appId: 'dtalk', key, uploadId, parts: [{ ETag: p.body.data.ETag, partNumber: 1 }] });
    assert.equal(done.body.result, 0, done.text);
    assert.ok((await download(done.body.data.url)).bytes.equals(bytes));
    assert.deepEqual(spools(), [], 'no temporary file remains');
  });

  test('an upload over the limit is refused with -10202 and stores nothing: the key stays free, the part unrecorded', async () => {
    const over = pattern(4 * MiB + 1, 2);
    const host = (await alice.post('/oss/get-host', { appId: 'dtalk' })).body.data.host;
    for (const fieldsFirst of [true, false]) {
      const key = `over/${fieldsFirst ? 'fields-first' : 'file-first'}.bin`;
      const r = await post('/oss/upload', form({ appId: 'dtalk', key }, over, fieldsFirst));
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.result, -10202, r.text);
      assert.equal((await fetch(`${host}/${key}`)).status, 404, 'nothing stored under the key');
      const again = await post('/oss/upload', form({ appId: 'dtalk', key }, Buffer.from('small')));
      assert.equal(again.body.result, 0, `${key} is free again: ${again.text}`);
    }
    const init = await alice.post('/oss/init-multipart-upload', { appId: 'dtalk', key: 'over/parts.bin' });
    const { uploadId, key } = init.body.data;
    for (const fieldsFirst of [true, false]) {
      const r = await post('/oss/upload-part', form({ appId: 'dtalk', key, uploadId, partNumber: '1' }, over, fieldsFirst));
      assert.equal(r.body.result, -10202, r.text);
    }
    const refused = await alice.post('/oss/complete-multipart-upload', { appId: 'dtalk', key, uploadId, parts: [{ ETag: 'd41d8cd98f00b204e9800998ecf8427e', partNumber: 1 }] });
    assert.notEqual(refused.body.result, 0, 'the refused part was not recorded');
    const small = await post('/oss/upload-part', form({ appId: 'dtalk', key, uploadId, partNumber: '1' }, Buffer.from('the part')));
    const done = await alice.post('/oss/complete-multipart-upload', { appId: 'dtalk', key, uploadId, parts: [{ ETag: small.body.data.ETag, partNumber: 1 }] });
    assert.equal(done.body.result, 0, done.text);
    assert.equal(await (await fetch(done.body.data.url)).text(), 'the part');
    assert.deepEqual(spools(), [], 'no temporary file remains');
  });
});

describe('dtalk object storage: the dialect\'s own 64 MiB limit', () => {
  let server: TestServer;
  let alice: DtalkUser;
  before(async () => {
    server = await startTestServer({ manualClock: true });
    alice = new DtalkUser(server);
  });
  after(() => server.stop());

  test('a file part over 64 MiB is refused with -10202 while it streams, and nothing is stored', async () => {
    const r = await rawPost(server.url, '/oss/upload', { 'FZM-SIGNATURE': alice.token() }, form({ appId: 'dtalk', key: 'huge.bin' }, Buffer.alloc(64 * MiB + 1, 7)));
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.result, -10202, r.text);
    const host = (await alice.post('/oss/get-host', { appId: 'dtalk' })).body.data.host;
    assert.equal((await fetch(`${host}/huge.bin`)).status, 404);
  });
});

describe('dtalk object storage streams large files on an S3-compatible store', () => {
  let s3: TestS3;
  let server: TestServer;
  let alice: DtalkUser;
  const post = (path: string, body: FormData) => rawPost(server.url, path, { 'FZM-SIGNATURE': alice.token() }, body);
  before(async () => {
    s3 = await startTestS3();
    server = await startTestServer({ manualClock: true, config: s3.config });
    alice = new DtalkUser(server);
  });
  after(async () => {
    await server.stop();
    await s3.stop();
  });

  test('a whole file and a part without a declared length round-trip byte-exact', async () => {
    const bytes = pattern(3 * MiB + 5, 3);
    const r = await post('/oss/upload', form({ appId: 'dtalk', ossType: 'minio', key: 'large/s3.bin' }, bytes));
    assert.equal(r.body.result, 0, r.text);
    assert.ok((await download(r.body.data.url)).bytes.equals(bytes));
    const init = await alice.post('/oss/init-multipart-upload', { appId: 'dtalk', ossType: 'minio', key: 'large/s3-parts.bin' });
    const { uploadId, key } = init.body.data;
    const p = await post('/oss/upload-part', form({ appId: 'dtalk', ossType: 'minio', key, uploadId, partNumber: '1' }, bytes));
    assert.equal(p.body.result, 0, p.text);
    const done = await alice.post('/oss/complete-multipart-upload', { appId: 'dtalk', ossType: 'minio', key, uploadId, parts: [{ ETag: p.body.data.ETag, partNumber: 1 }] });
    assert.equal(done.body.result, 0, done.text);
    assert.ok((await download(done.body.data.url)).bytes.equals(bytes));
    assert.deepEqual(spools(), [], 'no temporary file remains');
  });
});
