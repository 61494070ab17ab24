// An unexpected failure (here: the database refuses a write) is visible on
// /metrics as parley_internal_errors_total{dialect} and in the log at error
// level with the request id, in every dialect — including those that answer
// it with HTTP 200 (dtalk's result -1000).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import pino from 'pino';
import { startTestServer, type TestServer } from '../support/server.ts';
import { makeUser } from '../support/fixtures.ts';
import { call } from '../support/http.ts';
import { refuseInserts } from '../support/faults.ts';
import { internalErrors } from '../support/metrics.ts';
import { lanying } from '../support/lanying.ts';
import { legacy } from '../support/legacy.ts';
import { xim } from '../support/xim.ts';
import { DtalkUser } from './dtalk/support.ts';

const FAULT = 'internal-fault';

describe('internal errors are counted and logged in every dialect', () => {
  let s: TestServer;
  const lines: Record<string, unknown>[] = [];
  before(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const l of chunk.toString('utf8').split('\n')) if (l) lines.push(JSON.parse(l) as Record<string, unknown>);
        done();
      },
    });
    s = await startTestServer({ manualClock: true, logger: pino({ level: 'error' }, sink) });
    await refuseInserts(s.db, 'groups', 'name', FAULT);
  });
  after(() => s.stop());

  /** Runs `act`, then checks the dialect's count rose by one and an error line with that request id was logged. */
  async function expectCounted(dialect: string, act: () => Promise<{ status: number; headers: Headers; text: string }>) {
    const before = await internalErrors(s);
    const res = await act();
    const after = await internalErrors(s);
    assert.equal(after.of(dialect) - before.of(dialect), 1, `${dialect}: ${res.status} ${res.text}`);
    assert.equal(after.total - before.total, 1, `only ${dialect} moved: ${JSON.stringify(after.byDialect)}`);
    const reqId = res.headers.get('x-request-id');
    assert.ok(reqId);
    const line = lines.find((l) => l.reqId === reqId && l.dialect === dialect);
    assert.ok(line, `an error line for ${reqId}`);
    assert.equal(line.level, 50);
    assert.match(String((line.err as { message?: string } | undefined)?.message), /refused by the test/);
    return res;
  }

  test('native: 500 with the internal envelope, counted', async () => {
    const u = await makeUser(s);
    const res = await expectCounted('native', () => call(s.url, 'POST', '/v1/groups', { token: u.token, body: { name: FAULT } }));
    assert.equal(res.status, 500);
    assert.deepEqual(JSON.parse(res.text), { error: { code: 'internal', message: 'internal error' } });
  });

  test('lanying: its server code, counted', async () => {
    const u = await makeUser(s);
    const res = await expectCounted('lanying', () => lanying(s.url, { appId: s.appId, token: u.token }).post('/group/create', { name: FAULT }));
    assert.equal(JSON.parse(res.text).code, 20000);
  });

  test('xim: its internal code, counted', async () => {
    const u = await makeUser(s);
    const res = await expectCounted('xim', () => xim(s.url, s.adminToken)('CreateOrRelate', { userId: u.id, groupName: FAULT }));
    const body = JSON.parse(res.text) as { code: number; errcode: number };
    assert.deepEqual([body.code, body.errcode], [1003, 1003]);
  });

  test('legacy: success false, counted', async () => {
    const owner = await makeUser(s);
    const g = (await lanying(s.url, { appId: s.appId, token: owner.token }).post('/group/create', { name: 'open' })).body.data.group_id as number;
    // An open group: joinGroup then adds the member at once (a group asking for approval files an application).
    assert.equal((await call(s.url, 'PATCH', `/v1/groups/${g}/settings`, { token: owner.token, body: { joinPolicy: 'open' } })).status, 200);
    const joiner = await makeUser(s);
    await refuseInserts(s.db, 'group_members', 'user_id', joiner.id);
    const res = await expectCounted('legacy', () => legacy(s.url, { uid: joiner.id, accessToken: joiner.token }).form('group!joinGroup', { groupId: String(g) }));
    assert.equal(JSON.parse(res.text).success, false);
  });

  test('dtalk: HTTP 200 result -1000, and still counted', async () => {
    const user = new DtalkUser(s);
    assert.equal((await user.post('/app/user/login', { connType: 0 })).body.result, 0);
    const res = await expectCounted('dtalk', () => user.post('/group/app/create-group', { name: FAULT, avatar: '', introduce: '', memberIds: [] }));
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.text), { result: -1000, message: '服务器繁忙，请稍后重试', data: null });
  });

  test('a domain error is not counted', async () => {
    const before = await internalErrors(s);
    const u = await makeUser(s);
    const res = await lanying(s.url, { appId: s.appId, token: u.token }).post('/group/info', { group_id: 1 });
    assert.notEqual(res.body.code, 200);
    assert.equal((await internalErrors(s)).total, before.total);
  });
});
