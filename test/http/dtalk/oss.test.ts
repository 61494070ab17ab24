import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestS3, type TestS3 } from '../../support/s3.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { DtalkUser, rawPost } from './support.ts';

function form(fields: Record<string, string>, file?: Uint8Array): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  if (file) f.append('file', new Blob([Buffer.from(file)]), 'blob');
  return f;
}

describe('dtalk object storage', () => {
  let server: TestServer;
  let alice: DtalkUser;
  const post = (path: string, body: FormData) => rawPost(server.url, path, { 'FZM-SIGNATURE': alice.token() }, body);
  before(async () => {
    server = await startTestServer({ manualClock: true });
    alice = new DtalkUser(server);
  });
  after(() => server.stop());

  test('upload stores the file and answers {url, uri} in the local engine\'s shape; host + uri serves the bytes', async () => {
    const r = await post('/oss/upload', form({ appId: 'dtalk', key: 'chat/a b.txt' }, Buffer.from('hello oss')));
    assert.equal(r.body.result, 0, r.text);
    assert.equal(r.body.data.uri, '/chat/a b.txt'); // aliyun-like: /<key>
    const host = (await alice.post('/oss/get-host', { appId: 'dtalk' })).body.data.host;
    assert.equal(host, `${server.url}/oss/object`);
    assert.equal(r.body.data.url, `${host}/chat/a%20b.txt`);
    const got = await fetch(r.body.data.url);
    assert.equal(got.status, 200);
    assert.equal(await got.text(), 'hello oss');
    assert.equal((await fetch(`${host}/chat/none.txt`)).status, 404);
  });

  test('multipart upload: init, 5 MiB parts sent concurrently, complete in any listed order; the bytes come back in part order', async () => {
    const init = await alice.post('/oss/init-multipart-upload', { appId: 'dtalk', ossType: 'minio', key: 'big/file.bin' });
    assert.equal(init.body.result, 0, init.text);
    const { uploadId, key } = init.body.data;
    assert.equal(typeof uploadId, 'string');
    assert.equal(key, 'big/file.bin');
    // Distinct content per part, so a swapped or repeated part shows.
    const p1 = Buffer.alloc(5 * 1024 * 1024);
    for (let i = 0; i < p1.length; i++) p1[i] = (i * 31 + 7) & 0xff;
    const p2 = Buffer.from('the tail part');
    const parts = await Promise.all([p1, p2].map((bytes, i) => post('/oss/upload-part', form({ appId: 'dtalk', key, uploadId, partNumber: String(i + 1) }, bytes))));
    for (const p of parts) assert.equal(p.body.result, 0, p.text);
    assert.deepEqual(parts.map((p) => [p.body.data.partNumber, p.body.data.uploadId, p.body.data.key]), [[1, uploadId, key], [2, uploadId, key]]);
    const done = await alice.post('/oss/complete-multipart-upload', { appId: 'dtalk', key, uploadId, parts: parts.map((p) => ({ ETag: p.body.data.ETag, partNumber: p.body.data.partNumber })).reverse() });
    assert.equal(done.body.result, 0, done.text);
    assert.equal(done.body.data.uri, '/big/file.bin');
    const got = Buffer.from(await (await fetch(done.body.data.url)).arrayBuffer());
    assert.ok(got.equals(Buffer.concat([p1, p2])), 'the stored bytes are the parts in part order');
  });

  test('abort frees the key; get-host and the STS routes', async () => {
    const init = await alice.post('/oss/init-multipart-upload', { appId: 'dtalk', key: 'x/abort.bin' });
    const uploadId = init.body.data.uploadId;
    const part = await post('/oss/upload-part', form({ appId: 'dtalk', key: 'x/abort.bin', uploadId, partNumber: '1' }, Buffer.from('lost')));
    assert.equal(part.body.result, 0, part.text);
    assert.deepEqual((await alice.post('/oss/abort-multipart-upload', { appId: 'dtalk', key: 'x/abort.bin', uploadId })).body, { result: 0, message: 'OK', data: {} });
    // The upload is gone, and its key can be used again.
    assert.equal((await post('/oss/upload-part', form({ appId: 'dtalk', key: 'x/abort.bin', uploadId, partNumber: '2' }, Buffer.from('x')))).body.result, -1007);
    const reuse = await post('/oss/upload', form({ appId: 'dtalk', key: 'x/abort.bin' }, Buffer.from('after abort')));
    assert.equal(reuse.body.result, 0, reuse.text);
    assert.equal(await (await fetch(reuse.body.data.url)).text(), 'after abort');
    assert.deepEqual((await alice.post('/oss/get-host', { appId: 'dtalk' })).body.data, { host: `${server.url}/oss/object` });
    for (const path of ['/oss/get-token', '/oss/get-huaweiyun-token']) assert.equal((await alice.post(path)).body.result, -2000);
  });

  test('bad storage requests get the documented codes', async () => {
    const json: [string, unknown, number][] = [
      ['/oss/init-multipart-upload', { appId: 'dtalk', key: '../etc/passwd' }, -10203],
      ['/oss/init-multipart-upload', { appId: 'dtalk', key: '  ' }, -10203],
      ['/oss/init-multipart-upload', { appId: 'dtalk', key: 'a', ossType: 'gcs' }, -1012],
      ['/oss/init-multipart-upload', { key: 'a' }, -1012],
      ['/oss/complete-multipart-upload', { appId: 'dtalk', key: 'a', uploadId: 'nope', parts: [] }, -1007],
      ['/oss/complete-multipart-upload', { appId: 'dtalk', key: 'a', uploadId: '1', parts: [{ ETag: 'x', partNumber: 0 }] }, -1012],
      ['/oss/complete-multipart-upload', { appId: 'dtalk', key: 'a', uploadId: '1', parts: 'x' }, -1012],
      ['/oss/abort-multipart-upload', { appId: 'dtalk', key: 'a', uploadId: '123' }, -1007],
      ['/oss/get-host', {}, -1012],
    ];
    for (const [path, body, result] of json) assert.equal((await alice.post(path, body)).body.result, result, `${path} ${JSON.stringify(body)}`);
    const forms: [string, FormData, number][] = [
      ['/oss/upload', form({ appId: 'dtalk', key: 'a/b' }), -1012],
      ['/oss/upload', form({ appId: 'dtalk' }, Buffer.from('x')), -1012],
      ['/oss/upload', form({ appId: 'dtalk', key: 'a/../b' }, Buffer.from('x')), -10203],
      ['/oss/upload', form({ appId: 'dtalk', key: 'empty' }, new Uint8Array()), -1009],
      ['/oss/upload-part', form({ appId: 'dtalk', key: 'a', uploadId: '1', partNumber: '0' }, Buffer.from('x')), -1012],
      ['/oss/upload-part', form({ appId: 'dtalk', key: 'a', uploadId: '1', partNumber: '10001' }, Buffer.from('x')), -1012],
      ['/oss/upload-part', form({ appId: 'dtalk', key: 'a', uploadId: '777', partNumber: '1' }, Buffer.from('x')), -1007],
    ];
    for (const [path, body, result] of forms) {
      const r = await post(path, body);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.result, result, `${path} → ${r.text}`);
    }
    // The refused empty file kept nothing: its key is still free.
    const refill = await post('/oss/upload', form({ appId: 'dtalk', key: 'empty' }, Buffer.from('x')));
    assert.equal(refill.body.result, 0, refill.text);
    const dup = await post('/oss/upload', form({ appId: 'dtalk', key: 'once/only' }, Buffer.from('1')));
    assert.equal(dup.body.result, 0);
    assert.notEqual((await post('/oss/upload', form({ appId: 'dtalk', key: 'once/only' }, Buffer.from('2')))).body.result, 0);
  });
});

describe('dtalk object storage on an S3-compatible store', () => {
  let s3: TestS3;
  let server: TestServer;
  let alice: DtalkUser;
  before(async () => {
    s3 = await startTestS3();
    server = await startTestServer({ manualClock: true, config: s3.config });
    alice = new DtalkUser(server);
  });
  after(async () => {
    await server.stop();
    await s3.stop();
  });

  test('uri is /<bucket>/<key> (the original\'s minio shape) and host + uri serves the bytes', async () => {
    const r = await rawPost(server.url, '/oss/upload', { 'FZM-SIGNATURE': alice.token() }, form({ appId: 'dtalk', ossType: 'minio', key: 'img/x.png' }, Buffer.from('png bytes')));
    assert.equal(r.body.result, 0, r.text);
    assert.equal(r.body.data.uri, `/${s3.options.bucket}/img/x.png`);
    const { host } = (await alice.post('/oss/get-host', { appId: 'dtalk', ossType: 'minio' })).body.data;
    assert.equal(r.body.data.url, `${host}${r.body.data.uri}`);
    assert.equal(await (await fetch(r.body.data.url)).text(), 'png bytes');
    assert.equal((await fetch(`${host}/img/x.png`)).status, 404); // without the bucket it names nothing
  });
});
