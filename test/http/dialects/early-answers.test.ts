// What a dialect client gets when no route answers its request (issue 13
// item 10): a request line and headers beyond the limit (431), HTTP that does
// not parse (400) and a path no route serves (404) are answered in the
// envelope of the dialect whose path it was for, over a real socket. Long legitimate queries
// (an xim InfoBatch of 5,000 ids, a 20 KB lanying query) are served.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { makeUser } from '../../support/fixtures.ts';
import { lanying } from '../../support/lanying.ts';
import { xim } from '../../support/xim.ts';
import { rawRequest } from '../../support/raw-http.ts';

describe('answers before routing', () => {
  let s: TestServer;
  // Above one socket read (64 KiB), so an oversized head is refused in a chunk that does not hold its request line.
  const LIMIT = 200_000;
  before(async () => {
    s = await startTestServer({ manualClock: true, config: { maxHeaderBytes: LIMIT } });
  });
  after(() => s.stop());

  const pad = (bytes: number) => `X-Pad: ${'a'.repeat(bytes)}`;

  test('an xim InfoBatch of 5,000 ids and a 20 KB lanying query are served, in their envelopes', async () => {
    const owner = await makeUser(s);
    const call = xim(s.url, s.adminToken);
    const g = (await call('CreateOrRelate', { userId: owner.id, groupName: 'many' })).body.data.groupId as number;
    const ids = Array.from({ length: 4999 }, (_, i) => String(g + 1_000_000 + i));
    const r = await call('InfoBatch', { groupId: [...ids, String(g)] });
    assert.equal(r.status, 200, r.text.slice(0, 300));
    assert.deepEqual([r.body.code, r.body.data.info.map((i: { id: number }) => i.id)], [0, [g]]);
    const ly = await lanying(s.url, { appId: s.appId, token: owner.token }).get('/group/info', { group_id: String(g), padding: 'x'.repeat(20_000) });
    assert.equal(ly.status, 200, ly.text.slice(0, 300));
    assert.equal(typeof ly.body.code, 'number');
    assert.ok('data' in ly.body && 'message' in ly.body, ly.text.slice(0, 300));
  });

  test('a head beyond the limit gets 431 in the envelope of the dialect its path names', async () => {
    const big = pad(LIMIT * 3);
    const cases: [string, (b: Record<string, unknown>) => void][] = [
      ['GET /med.xim.Group/InfoBatch?groupId=1', (b) => assert.deepEqual([b.code, b.errcode, b.data, typeof b.errmsg], [1001, 1001, null, 'string'])],
      ['GET /group/info?group_id=1', (b) => assert.deepEqual([b.code, b.data, typeof b.message], [10002, null, 'string'])],
      ['POST /chat/group!groupList', (b) => assert.deepEqual([b.success, b.info, b.code], [false, '请求内容过大', 'payload_too_large'])],
      ['POST /app/start-call', (b) => assert.deepEqual([b.result, b.message, String(b.data).startsWith('请求参数错误 with child err: ')], [-1012, '请求参数错误', true])],
      ['POST /group/app/create-group', (b) => assert.equal(b.result, -1012)],
      ['GET /app/qrcode/group_sign?group_id=1', (b) => assert.equal(b.code, 10002)],
      ['GET /v1/groups', (b) => assert.equal((b.error as { code: string }).code, 'payload_too_large')],
    ];
    for (const [line, check] of cases) {
      const r = await rawRequest(s.url, `${line} HTTP/1.1\r\n${big}`);
      assert.equal(r.status, 431, `${line}: ${r.body.slice(0, 200)}`);
      assert.ok(r.headers.some(([n, v]) => n.toLowerCase() === 'content-type' && v.startsWith('application/json')), line);
      check(JSON.parse(r.body));
    }
    // The same with the whole request line beyond the limit (a long query).
    const long = await rawRequest(s.url, `GET /med.xim.Group/InfoBatch?groupId=${'1,'.repeat(LIMIT)}1 HTTP/1.1`);
    assert.deepEqual([long.status, JSON.parse(long.body).code], [431, 1001]);
  });

  test('on a kept-alive connection the refused request is answered for its own path, not the previous one', async () => {
    const socket = net.connect(Number(new URL(s.url).port), '127.0.0.1');
    let received = Buffer.alloc(0);
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    const until = (done: () => boolean) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (done()) {
            socket.off('data', onData);
            resolve();
          }
        };
        const onData = (c: Buffer) => {
          received = Buffer.concat([received, c]);
          check();
        };
        socket.on('data', onData);
        socket.once('error', reject);
        check();
      });
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(`GET /med.xim.Group/InfoBatch HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${s.adminToken}\r\n\r\n`);
    await until(() => received.toString().includes('"errmsg":"ok"'));
    received = Buffer.alloc(0);
    socket.write(`POST /chat/group!groupList HTTP/1.1\r\nHost: x\r\n${pad(LIMIT * 3)}\r\n\r\n`);
    await Promise.race([closed, until(() => received.includes('\r\n\r\n{') && received.toString().endsWith('}'))]);
    socket.destroy();
    const text = received.toString();
    assert.match(text, /^HTTP\/1\.1 431 /);
    assert.deepEqual(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)), { success: false, info: '请求内容过大', code: 'payload_too_large' });
  });

  test('a path no route serves gets 404 in the envelope of the dialect its prefix names', async () => {
    const miss = async (method: string, path: string) => {
      const r = await fetch(new URL(path, s.url), { method, ...(method === 'GET' ? {} : { headers: { 'content-type': 'application/json' }, body: '{}' }) });
      return { status: r.status, body: await r.json() };
    };
    assert.deepEqual(await miss('GET', '/group/nope'), { status: 404, body: { code: 10002, data: null, message: 'no route GET /group/nope' } });
    assert.deepEqual(await miss('PATCH', '/group/info'), { status: 404, body: { code: 10002, data: null, message: 'no route PATCH /group/info' } });
    assert.deepEqual(await miss('POST', '/group/app/nope'), { status: 404, body: { result: -1013, message: '请求URL非法', data: null } });
    assert.deepEqual(await miss('POST', '/oss/nope'), { status: 404, body: { result: -1013, message: '请求URL非法', data: null } });
    assert.deepEqual(await miss('GET', '/v1/nope'), { status: 404, body: { error: { code: 'not_found', message: 'no route GET /v1/nope' } } });
  });

  test('HTTP that does not parse gets 400 in the dialect envelope', async () => {
    const r = await rawRequest(s.url, 'POST /chat/group!groupList HTTP/1.1\r\nBad Header Line');
    assert.equal(r.status, 400, r.body);
    const b = JSON.parse(r.body);
    assert.deepEqual([b.success, b.code], [false, 'invalid_argument']);
    const x = await rawRequest(s.url, 'GET /med.xim.Group/History HTTP/1.1\r\nBad Header Line');
    assert.deepEqual([x.status, JSON.parse(x.body).code], [400, 1001]);
  });
});
