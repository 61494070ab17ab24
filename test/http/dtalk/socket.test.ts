import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decode } from '../../../src/http/dtalk/proto/codec.ts';
import { encodeFrame, Op } from '../../../src/http/dtalk/proto/frame.ts';
import { decodeBiz, EventType, SignalType } from '../../../src/http/dtalk/proto/messages.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { authBody, SocketClient } from './socket-client.ts';
import { DtalkUser } from './support.ts';

interface Signal {
  type: number;
  body: Uint8Array;
  reliable: boolean;
}
const signalOf = (body: Uint8Array): Signal => {
  const biz = decodeBiz(body);
  assert.equal(biz.eventType, EventType.signal);
  return decode<Signal>('imparse.proto.Signal', biz.body);
};

describe('dtalk socket: handshake, heartbeat, pushes', () => {
  let server: TestServer;
  const open: SocketClient[] = [];
  const connect = async (path?: string) => {
    const c = await SocketClient.connect(server.url, path);
    open.push(c);
    return c;
  };
  before(async () => {
    server = await startTestServer({ manualClock: true });
  });
  after(async () => {
    for (const c of open) c.close();
    await server.stop();
  });

  test('Auth first, then op 2 with an empty body, an EndpointLogin push and heartbeat replies (/sub and /sub/)', async () => {
    for (const path of ['/sub', '/sub/']) {
      const alice = new DtalkUser(server);
      const c = await connect(path);
      c.send({ op: Op.heartbeat, seq: 3 }); // ignored before Auth
      const reply = await c.auth(alice.token(), { uuid: 'desk-1', device: 2, deviceName: 'my pc' });
      assert.equal(reply.body.length, 0);
      const push = await c.next((f) => f.op === Op.receiveMsg);
      assert.equal(push.seq, 1);
      const sig = signalOf(push.body);
      assert.equal(sig.type, SignalType.EndpointLogin);
      assert.equal(sig.reliable, false);
      const login = decode<{ uuid: string; device: number; deviceName: string; datetime: number }>('imparse.proto.SignalEndpointLogin', sig.body);
      assert.deepEqual(login, { uuid: 'desk-1', device: 2, deviceName: 'my pc', datetime: server.core.clock.now() });
      c.send({ op: Op.heartbeat, seq: 7 });
      const hb = await c.next((f) => f.op === Op.heartbeatReply);
      assert.equal(hb.seq, 7);
      assert.deepEqual([...hb.body], [0, 0, 0, 0]);
      assert.equal(c.frames.filter((f) => f.op === Op.heartbeatReply).length, 0, 'the pre-Auth heartbeat got no reply');
    }
  });

  test('a new sign-in is announced to the user’s other connections', async () => {
    const bob = new DtalkUser(server);
    const first = await connect();
    await first.auth(bob.token(), { uuid: 'a' });
    await first.next((f) => f.op === Op.receiveMsg);
    const second = await connect();
    await second.auth(bob.token(), { uuid: 'b', deviceName: 'laptop' });
    const push = await first.next((f) => f.op === Op.receiveMsg);
    assert.equal(push.seq, 2, 'per-connection seq');
    const login = decode<{ uuid: string }>('imparse.proto.SignalEndpointLogin', signalOf(push.body).body);
    assert.equal(login.uuid, 'b');
    assert.equal((await second.next((f) => f.op === Op.receiveMsg)).seq, 1);
  });

  test('un-acked pushes are re-sent every 2 s until op 10 acks them', async () => {
    const carol = new DtalkUser(server);
    const c = await connect();
    await c.auth(carol.token());
    const first = await c.next((f) => f.op === Op.receiveMsg);
    server.clock!.advance(1000);
    // A second push, 1 s younger: carol signs in elsewhere.
    const other = await connect();
    await other.auth(carol.token(), { uuid: 'carol-other' });
    const second = await c.next((f) => f.op === Op.receiveMsg);
    server.clock!.advance(1300);
    // The first is 2.3 s old and comes again: a tick ran at this time, and in
    // it the second (1.3 s old) was not due.
    const again = await c.next((f) => f.op === Op.receiveMsg && f.seq === first.seq);
    assert.deepEqual(again.body, first.body);
    await c.roundTrip(2);
    assert.equal(c.frames.filter((f) => f.op === Op.receiveMsg && f.seq === second.seq).length, 0, 'not re-sent before 2 s');
    c.send({ op: Op.receiveMsgReply, ack: first.seq });
    await c.roundTrip(3);
    c.frames.length = 0;
    server.clock!.advance(5000);
    // The un-acked second comes again: a tick ran after the first was acked.
    await c.next((f) => f.op === Op.receiveMsg && f.seq === second.seq);
    await c.roundTrip(4);
    assert.equal(c.frames.filter((f) => f.op === Op.receiveMsg && f.seq === first.seq).length, 0, 'acked pushes are not re-sent');
    other.close();
  });

  test('a phone that is no longer the latest gets op 2 with the newer device, and may Auth again', async () => {
    const dave = new DtalkUser(server);
    const a = await connect();
    await a.auth(dave.token(), { device: 0, uuid: 'phone-a', connType: 0 });
    server.clock!.advance(10);
    const b = await connect();
    await b.auth(dave.token(), { device: 1, uuid: 'phone-b', connType: 0, deviceName: 'iPhone' });
    const c = await connect();
    const refused = await c.auth(dave.token(), { device: 0, uuid: 'phone-a', connType: 1 });
    const newer = decode<{ uuid: string; device: number; deviceName: string }>('imparse.proto.SignalEndpointLogin', refused.body);
    assert.equal(newer.uuid, 'phone-b');
    assert.equal(newer.device, 1);
    assert.equal(newer.deviceName, 'iPhone');
    assert.equal(c.closed, false);
    const ok = await c.auth(dave.token(), { device: 0, uuid: 'phone-a', connType: 0 });
    assert.equal(ok.body.length, 0);
  });

  test('bad Auth closes the socket: bad signature, expired, empty appId, garbage body', async () => {
    const erin = new DtalkUser(server);
    const bodies = [
      authBody('not-a-token'),
      authBody(erin.token(server.core.clock.now() - 121_000)),
      authBody(erin.token(), {}, ''),
      authBody(''),
      Buffer.from([0xff, 0xff, 0xff]),
    ];
    for (const body of bodies) {
      const c = await connect();
      c.send({ op: Op.auth, seq: 1, body });
      await c.waitClosed();
    }
  });

  test('garbage frames drop the connection, not the server', async () => {
    const frank = new DtalkUser(server);
    const bad = [Buffer.from('hello'), Buffer.alloc(19), (() => { const b = encodeFrame({ op: 3 }); b.writeInt16BE(12, 4); return b; })(), encodeFrame({ op: 7, body: new Uint8Array(20_000) })];
    for (const bytes of bad) {
      const c = await connect();
      await c.auth(frank.token());
      c.sendRaw(bytes);
      await c.waitClosed();
    }
    const ok = await connect();
    assert.equal((await ok.auth(frank.token())).body.length, 0);
    assert.equal((await new DtalkUser(server).post('/app/user/login', { connType: 0 })).body.result, 0);
  });

  test('a connection that never authenticates is closed after the handshake timeout', async () => {
    const c = await connect();
    c.send({ op: Op.heartbeat, seq: 1 });
    server.clock!.advance(9000);
    await c.waitClosed();
  });

  test('a silent connection is closed after 8 minutes', async () => {
    const c = await connect();
    await c.auth(new DtalkUser(server).token());
    server.clock!.advance(8 * 60_000 + 1000);
    await c.waitClosed();
  });
});
