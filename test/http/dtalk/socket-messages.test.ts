import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decode, encode } from '../../../src/http/dtalk/proto/codec.ts';
import { Op, type Frame } from '../../../src/http/dtalk/proto/frame.ts';
import { commonEnvelope, decodeBiz, decodeCommon, EventType, MsgType, SignalType, type CommonAck } from '../../../src/http/dtalk/proto/messages.ts';
import { client } from '../../support/http.ts';
import { makeUser } from '../../support/fixtures.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { SocketClient } from './socket-client.ts';
import { DtalkUser, rawPost } from './support.ts';

const isMessage = (f: Frame) => f.op === Op.receiveMsg && decodeBiz(f.body).eventType === EventType.common;
const isSignal = (type: number) => (f: Frame) => {
  if (f.op !== Op.receiveMsg) return false;
  const biz = decodeBiz(f.body);
  return biz.eventType === EventType.signal && decode<{ type: number }>('imparse.proto.Signal', biz.body).type === type;
};
const textOf = (f: Frame) => decode<{ content: string }>('imparse.proto.TextMsg', decodeCommon(decodeBiz(f.body).body).msg).content;
const textEnvelope = (to: string, content: string, seq: string) =>
  commonEnvelope({ channelType: 0, seq, target: to, msgType: MsgType.Text, msg: encode('imparse.proto.TextMsg', { content }) });

describe('dtalk socket: messages across dialects', () => {
  let server: TestServer;
  const open: SocketClient[] = [];
  const online = async (u: DtalkUser, uuid: string) => {
    const c = await SocketClient.connect(server.url);
    open.push(c);
    await c.auth(u.token(), { uuid });
    await c.next(isSignal(SignalType.EndpointLogin));
    return c;
  };
  before(async () => {
    server = await startTestServer({ manualClock: true });
  });
  after(async () => {
    for (const c of open) c.close();
    await server.stop();
  });

  test('op 7 is acked with op 8 (ack = client seq, CommonAck) and reaches the peer as op 9', async () => {
    const alice = new DtalkUser(server);
    const bob = new DtalkUser(server);
    const a1 = await online(alice, 'a1');
    const a2 = await online(alice, 'a2');
    await a1.next(isSignal(SignalType.EndpointLogin)); // a2's sign-in
    const b = await online(bob, 'b1');
    a1.send({ op: Op.sendMsg, seq: 41, body: textEnvelope(bob.address, 'hi bob', 'uuid-41') });
    const ack = await a1.next((f) => f.op === Op.sendMsgReply);
    assert.equal(ack.ack, 41);
    const biz = decodeBiz(ack.body);
    assert.equal(biz.eventType, EventType.commonAck);
    const { mid, datetime } = decode<CommonAck>('imparse.proto.CommonAck', biz.body);
    assert.equal(datetime, server.core.clock.now());
    const got = await b.next(isMessage);
    const c = decodeCommon(decodeBiz(got.body).body);
    assert.equal(c.mid, mid);
    assert.equal(c.from, alice.address);
    assert.equal(c.target, bob.address);
    assert.equal(c.seq, 'uuid-41');
    assert.equal(textOf(got), 'hi bob');
    b.send({ op: Op.receiveMsgReply, ack: got.seq });
    // alice's other device gets it; the sending connection does not
    assert.equal(textOf(await a2.next(isMessage)), 'hi bob');
    await a1.roundTrip();
    assert.equal(a1.frames.filter(isMessage).length, 0);
  });

  test('a resent op 7 is acked with the same mid and delivered once', async () => {
    const carol = new DtalkUser(server);
    const dave = new DtalkUser(server);
    const c = await online(carol, 'c');
    const d = await online(dave, 'd');
    const env = textEnvelope(dave.address, 'once', 'uuid-once');
    c.send({ op: Op.sendMsg, seq: 1, body: env });
    const first = decode<CommonAck>('imparse.proto.CommonAck', decodeBiz((await c.next((f) => f.op === Op.sendMsgReply)).body).body);
    c.send({ op: Op.sendMsg, seq: 2, body: env });
    const second = await c.next((f) => f.op === Op.sendMsgReply);
    assert.equal(second.ack, 2);
    assert.equal(decode<CommonAck>('imparse.proto.CommonAck', decodeBiz(second.body).body).mid, first.mid);
    await d.next(isMessage);
    await d.roundTrip();
    assert.equal(d.frames.filter(isMessage).length, 0);
  });

  test('a bad op 7 gets its op 8 with the error and keeps the connection', async () => {
    const erin = new DtalkUser(server);
    const e = await online(erin, 'e');
    e.send({ op: Op.sendMsg, seq: 5, body: Buffer.from([0xde, 0xad]) });
    e.send({ op: Op.sendMsg, seq: 6, body: commonEnvelope({ channelType: 1, seq: 'x', target: '999', msgType: MsgType.Text, msg: encode('imparse.proto.TextMsg', { content: 'x' }) }) });
    const bad = await e.next((f) => f.op === Op.sendMsgReply && f.ack === 5);
    assert.equal(JSON.parse(Buffer.from(bad.body).toString()).result, -10500);
    const noGroup = await e.next((f) => f.op === Op.sendMsgReply && f.ack === 6);
    assert.deepEqual(JSON.parse(Buffer.from(noGroup.body).toString()), { result: -10500, message: '发送失败', data: 'group 999 does not exist' });
    await e.roundTrip();
    assert.equal(e.closed, false);
  });

  test('native sends reach dtalk sockets; un-acked ones are re-sent; dtalk sends reach native history', async () => {
    const native = await makeUser(server);
    const api = client(server.url, native.token);
    const frank = new DtalkUser(server);
    const f = await online(frank, 'f');
    const frankId = (await server.core.users.getByHandle(server.appId, frank.address)).id;
    assert.equal((await api.post(`/v1/users/${frankId}/messages`, { type: 'text', body: { text: 'from native' } })).status, 201);
    const push = await f.next(isMessage);
    assert.equal(textOf(push), 'from native');
    assert.equal(decodeCommon(decodeBiz(push.body).body).from, native.handle);
    server.clock!.advance(2100);
    const again = await f.next(isMessage);
    assert.equal(again.seq, push.seq);
    f.send({ op: Op.receiveMsgReply, ack: push.seq });
    f.send({ op: Op.sendMsg, seq: 9, body: textEnvelope(native.handle, 'from dtalk socket', 'uuid-n') });
    await f.next((x) => x.op === Op.sendMsgReply);
    const h = await api.get(`/v1/users/${frankId}/messages`);
    assert.equal(h.body.items[0].body.text, 'from dtalk socket');
  });

  test('revoke and focus reach the other party as signals', async () => {
    const gina = new DtalkUser(server);
    const hank = new DtalkUser(server);
    const h = await online(hank, 'h');
    const g = await online(gina, 'g');
    const form = new FormData();
    form.append('message', new Blob([Buffer.from(textEnvelope(hank.address, 'to revoke', 'uuid-r'))]), 'message');
    const sent = await rawPost(server.url, '/record/push', { 'FZM-SIGNATURE': gina.token() }, form);
    const logId = sent.body.data.logId as number;
    await h.next(isMessage);
    assert.equal((await hank.post('/app/record/focus', { type: 0, logId })).body.result, 0);
    const focus = decodeBiz((await g.next(isSignal(SignalType.FocusMessage))).body);
    const fm = decode<{ mid: number; uid: string; currentNum: number }>('imparse.proto.SignalFocusMessage', decode<{ body: Uint8Array }>('imparse.proto.Signal', focus.body).body);
    assert.deepEqual({ mid: fm.mid, uid: fm.uid, currentNum: fm.currentNum }, { mid: logId, uid: hank.address, currentNum: 1 });
    assert.equal((await gina.post('/app/record/revoke', { type: 0, logId })).body.result, 0);
    const revoke = decodeBiz((await h.next(isSignal(SignalType.Revoke))).body);
    const rv = decode<{ mid: number; operator: string; self: boolean }>('imparse.proto.SignalRevoke', decode<{ body: Uint8Array }>('imparse.proto.Signal', revoke.body).body);
    assert.deepEqual(rv, { mid: logId, operator: gina.address, self: true });
  });
});
