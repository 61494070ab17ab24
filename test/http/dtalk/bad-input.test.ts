// Bad input on every documented route: wrong types, broken JSON, non-object
// bodies, garbage multipart, oversize bodies. Each answer is the dtalk
// envelope (or the bare 413) with a result of the error table, never a 5xx,
// never an internal failure (parley_internal_errors_total stays put: dtalk
// answers those with 200 -1000, which an envelope check alone lets pass),
// and the server keeps serving.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { dtalkRoutes } from './spec-routes.ts';
import { DtalkUser, rawPost } from './support.ts';
import { dtalkResults } from '../../support/envelopes.ts';
import { internalErrors } from '../../support/metrics.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer({ manualClock: true });
});
after(() => server.stop());

const BODIES: (string | undefined)[] = [
  undefined,
  '{}',
  '[]',
  '"text"',
  'null',
  '{"broken":',
  '{"id":"x","idStr":5,"memberIds":"x","newMemberIds":[1],"count":"lots","logId":{},"traceId":[],"answer":"yes","type":9,"RTCType":"1","key":7,"uploadId":1,"parts":{},"muteTime":1e400,"connType":null}',
  '{"id":99999999999999999999999,"idStr":"-1","count":-5,"start":-1,"logId":-1,"traceId":-1,"memberType":7,"joinType":-1,"muteTime":-1,"partNumber":0}',
];

test('every documented route answers bad input with the envelope, never a 5xx, never an internal error', async () => {
  const user = new DtalkUser(server);
  const before = await internalErrors(server);
  for (const route of dtalkRoutes()) {
    for (const raw of BODIES) {
      const r = await user.post(route.path, undefined, raw === undefined ? { contentType: null } : { raw });
      assert.equal(r.status, 200, `${route.path} ${raw} → ${r.status} ${r.text}`);
      assert.ok(dtalkResults.has(r.body.result), `${route.path} ${raw}: undocumented result ${r.text}`);
      assert.equal(typeof r.body.message, 'string', `${route.path} ${raw}`);
    }
    const garbage = new FormData();
    garbage.append('message', new Blob([Buffer.from([0xff, 0x00, 0x13, 0x37])]), 'message');
    garbage.append('file', new Blob([Buffer.from('x')]), 'file');
    garbage.append('partNumber', 'abc');
    const m = await rawPost(server.url, route.path, { 'FZM-SIGNATURE': user.token() }, garbage);
    assert.equal(m.status, 200, `${route.path} multipart → ${m.status} ${m.text}`);
    // GetGroupListReq has no fields: any body binds.
    if (route.path !== '/group/app/group-list') assert.notEqual(m.body.result, 0, `${route.path} accepted garbage multipart`);
    const broken = await rawPost(server.url, route.path, { 'FZM-SIGNATURE': user.token(), 'content-type': 'multipart/form-data; boundary=zzz' }, '--zzz\r\nContent-Disposition: form-data; name="message"; filename="m"\r\n\r\nabc');
    assert.ok(broken.status === 200 || broken.status === 400, `${route.path} broken multipart → ${broken.status} ${broken.text}`);
    if (broken.status === 200) assert.ok(dtalkResults.has(broken.body.result), `${route.path} broken multipart: ${broken.text}`);
    const counted = await internalErrors(server);
    assert.equal(counted.total, before.total, `${route.path}: internal errors ${JSON.stringify(counted.byDialect)}`);
  }
  const big = await user.post('/group/app/create-group', undefined, { raw: `{"name":"${'x'.repeat(1_100_000)}"}` });
  assert.equal(big.status, 413);
  assert.equal((await user.post('/app/user/login', { connType: 0 })).body.result, 0, 'still serving');
});
