import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { decode } from '../../../src/http/dtalk/proto/codec.ts';
import { Op, type Frame } from '../../../src/http/dtalk/proto/frame.ts';
import { decodeBiz, EventType, SignalType } from '../../../src/http/dtalk/proto/messages.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { SocketClient } from './socket-client.ts';
import { DtalkUser } from './support.ts';

const signal = (type: number) => (f: Frame) => {
  if (f.op !== Op.receiveMsg) return false;
  const biz = decodeBiz(f.body);
  return biz.eventType === EventType.signal && decode<{ type: number }>('imparse.proto.Signal', biz.body).type === type;
};
const signalBody = <T>(name: string, f: Frame): T => decode<T>(`imparse.proto.Signal${name}`, decode<{ body: Uint8Array }>('imparse.proto.Signal', decodeBiz(f.body).body).body);

/** TLSSigAPIv2 token → its JSON document (the original's source "Tencent TRTC"). */
function tlsDoc(token: string): Record<string, unknown> {
  const b64 = token.replaceAll('*', '+').replaceAll('-', '/').replaceAll('_', '=');
  return JSON.parse(inflateSync(Buffer.from(b64, 'base64')).toString('utf8')) as Record<string, unknown>;
}

describe('dtalk calls', () => {
  let server: TestServer;
  const open: SocketClient[] = [];
  const online = async (u: DtalkUser) => {
    const c = await SocketClient.connect(server.url);
    open.push(c);
    await c.auth(u.token(), { uuid: `dev-${open.length}` });
    await c.next(signal(SignalType.EndpointLogin));
    return c;
  };
  before(async () => {
    server = await startTestServer({ manualClock: true, config: { trtcSdkAppId: 1400000000, trtcSecret: 'secret-key' } });
  });
  after(async () => {
    for (const c of open) c.close();
    await server.stop();
  });

  test('start, check, accept with TRTC tickets, hang up — with StartCall/AcceptCall/StopCall signals', async () => {
    const alice = new DtalkUser(server);
    const bob = new DtalkUser(server);
    const a = await online(alice);
    const b = await online(bob);
    const start = await alice.post('/app/start-call', { groupId: '', invitees: [bob.address], RTCType: 2 });
    assert.equal(start.body.result, 0, start.text);
    const s = start.body.data;
    assert.equal(s.traceIdStr, String(s.traceId));
    assert.deepEqual({ RTCType: s.RTCType, invitees: s.invitees, caller: s.caller, timeout: s.timeout, groupId: s.groupId }, { RTCType: 2, invitees: [bob.address], caller: alice.address, timeout: 60_000, groupId: '0' });
    assert.equal(s.deadline, s.createTime + 60_000);
    assert.equal(signalBody<{ trace_id: number }>('StartCall', await b.next(signal(SignalType.StartCall))).trace_id, s.traceId);

    const check = await bob.post('/call/app/check-call', { traceId: 0, traceIdStr: s.traceIdStr });
    assert.deepEqual(check.body.data, s);

    const accept = await bob.post('/app/handle-call', { answer: true, traceId: s.traceId });
    assert.equal(accept.body.result, 0, accept.text);
    const t = accept.body.data;
    assert.equal(t.sdkAppId, 1400000000);
    assert.equal(typeof t.roomId, 'number');
    assert.equal(tlsDoc(t.userSig)['TLS.identifier'], bob.address);
    assert.equal(tlsDoc(t.privateMapKey)['TLS.identifier'], bob.address);
    const acc = signalBody<{ trace_id: number; room_id: number; uid: string; user_sig: string; skd_app_id: number }>('AcceptCall', await a.next(signal(SignalType.AcceptCall)));
    assert.equal(acc.trace_id, s.traceId);
    assert.equal(acc.room_id, t.roomId);
    assert.equal(acc.uid, alice.address);
    assert.equal(acc.skd_app_id, 1400000000);
    assert.equal(tlsDoc(acc.user_sig)['TLS.identifier'], alice.address);

    assert.equal((await bob.post('/app/check-call', { traceId: s.traceId })).body.result, -10102, 'no longer ringing');
    assert.deepEqual((await alice.post('/app/handle-call', { answer: false, traceId: s.traceId })).body, { result: 0, message: 'OK', data: {} });
    const stop = signalBody<{ trace_id: number; reason: number }>('StopCall', await b.next(signal(SignalType.StopCall)));
    assert.deepEqual(stop, { trace_id: s.traceId, reason: 3 });
  });

  test('busy, reject, cancel and timeout reasons', async () => {
    const carol = new DtalkUser(server);
    const dave = new DtalkUser(server);
    const c = await online(carol);
    const d = await online(dave);
    const call = async () => (await carol.post('/app/start-call', { groupId: '0', invitees: [dave.address], RTCType: 1 })).body.data;
    // Each push is acked, so the 61 s jump below re-sends nothing already seen.
    const reasonTo = async (client: SocketClient) => {
      const f = await client.next(signal(SignalType.StopCall));
      client.send({ op: Op.receiveMsgReply, ack: f.seq });
      await client.roundTrip();
      return signalBody<{ reason: number }>('StopCall', f).reason;
    };

    const c1 = await call();
    assert.equal((await dave.post('/app/reply-busy', { traceId: c1.traceId })).body.result, 0);
    assert.equal(await reasonTo(c), 0);
    const c2 = await call();
    await dave.post('/app/handle-call', { answer: false, traceId: c2.traceId });
    assert.equal(await reasonTo(c), 2);
    const c3 = await call();
    await carol.post('/app/handle-call', { answer: false, traceId: c3.traceId });
    assert.equal(await reasonTo(d), 4);
    const c4 = await call();
    for (const client of [c, d]) {
      for (const f of client.frames.splice(0)) if (f.op === Op.receiveMsg) client.send({ op: Op.receiveMsgReply, ack: f.seq });
      await client.roundTrip();
    }
    server.clock!.advance(61_000);
    assert.equal((await dave.post('/app/check-call', { traceId: c4.traceId })).body.result, -10102);
    assert.equal(await reasonTo(c), 1);
  });

  test('bad call requests get documented errors', async () => {
    const erin = new DtalkUser(server);
    const frank = new DtalkUser(server);
    const cases: [string, unknown, number][] = [
      ['/app/start-call', { groupId: '', invitees: [frank.address], RTCType: 3 }, -1012],
      ['/app/start-call', { groupId: '', invitees: [], RTCType: 1 }, -1012],
      ['/app/start-call', { invitees: [frank.address], RTCType: 1 }, -1012],
      ['/app/start-call', { groupId: '5', invitees: [frank.address, erin.address], RTCType: 1 }, -2000],
      ['/app/start-call', { groupId: '', invitees: [erin.address], RTCType: 1 }, -2000], // calling yourself: not supported (README)
      ['/app/start-call', { groupId: '', invitees: 'x', RTCType: 1 }, -1012],
      ['/app/check-call', { traceIdStr: '1' }, -1012],
      ['/app/check-call', { traceId: 12345 }, -10102],
      ['/app/check-call', { traceId: 0, traceIdStr: '9223372036854775807' }, -10102],
      ['/app/handle-call', { traceId: 1 }, -1012],
      ['/app/handle-call', { answer: 'yes', traceId: 1 }, -1012],
      ['/call/app/reply-busy', { traceId: 'abc' }, -1012],
    ];
    for (const [path, body, result] of cases) {
      const r = await erin.post(path, body);
      assert.equal(r.body.result, result, `${path} ${JSON.stringify(body)} → ${r.text}`);
    }
  });
});
