import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { DtalkUser } from './support.ts';

const device = (uuid: string, kind: string, name = `${kind} phone`) => ({ 'FZM-UUID': uuid, 'FZM-DEVICE': kind, 'FZM-DEVICE-NAME': name });

describe('/app/user/login and the reconnect rule', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ manualClock: true });
  });
  after(() => server.stop());

  test('a phone may reconnect while it is the phone that signed in last', async () => {
    const alice = new DtalkUser(server);
    const a = await alice.post('/app/user/login', { connType: 0 }, { headers: device('phone-a', 'Android') });
    assert.deepEqual(a.body.data, { address: alice.address });
    const again = await alice.post('/app/user/login', { connType: 1 }, { headers: device('phone-a', 'Android') });
    assert.equal(again.body.result, 0);
  });

  test('after another phone signs in, the older one is refused with -1016 and the newer device', async () => {
    const alice = new DtalkUser(server);
    await alice.post('/app/user/login', { connType: 0 }, { headers: device('phone-a', 'Android') });
    server.clock!.advance(1000);
    const signedInAt = server.core.clock.now();
    await alice.post('/app/user/login', { connType: 0 }, { headers: device('phone-b', 'IOS', 'iPhone 15') });
    server.clock!.advance(1000);
    const refused = await alice.post('/app/user/login', { connType: 1 }, { headers: device('phone-a', 'Android') });
    assert.deepEqual(refused.body, {
      result: -1016,
      message: '设备重连不被允许',
      data: { code: -1016, message: { datetime: signedInAt, device: 1, deviceName: 'iPhone 15', uuid: 'phone-b' }, service: '' },
    });
    // signing in by hand takes the place back
    assert.equal((await alice.post('/app/user/login', { connType: 0 }, { headers: device('phone-a', 'Android') })).body.result, 0);
    assert.equal((await alice.post('/app/user/login', { connType: 1 }, { headers: device('phone-a', 'Android') })).body.result, 0);
    assert.equal((await alice.post('/app/user/login', { connType: 1 }, { headers: device('phone-b', 'IOS') })).body.result, -1016);
  });

  test('desktops and the web always reconnect; their sign-ins do not displace the phone', async () => {
    const bob = new DtalkUser(server);
    await bob.post('/app/user/login', { connType: 0 }, { headers: device('phone', 'IOS') });
    for (const kind of ['Windows', 'MacOS', 'Linux', 'Web', 'PC']) {
      assert.equal((await bob.post('/app/user/login', { connType: 0 }, { headers: device(`pc-${kind}`, kind) })).body.result, 0);
      assert.equal((await bob.post('/app/user/login', { connType: 1 }, { headers: device(`pc-${kind}`, kind) })).body.result, 0);
    }
    assert.equal((await bob.post('/app/user/login', { connType: 1 }, { headers: device('phone', 'IOS') })).body.result, 0);
  });

  test('connType is required and must be an integer', async () => {
    const carol = new DtalkUser(server);
    assert.equal((await carol.post('/app/user/login', {})).body.data, '请求参数错误 with child err: field connType is not set');
    assert.equal((await carol.post('/app/user/login', { connType: '1' }, { headers: device('p', 'Android') })).body.result, 0);
    assert.equal((await carol.post('/app/user/login', { connType: [1] })).body.result, -1012);
  });

  test('an oversized device id is -1012, not a 500', async () => {
    const dave = new DtalkUser(server);
    const r = await dave.post('/app/user/login', { connType: 0 }, { headers: device('u'.repeat(500), 'Android') });
    assert.equal(r.body.result, -1012);
  });
});
