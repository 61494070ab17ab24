// Issue 13 items 2 and 3: what the original dtalk server does that Parley
// refused or answered differently (the original's source, dtalk sections).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decode, encode } from '../../../src/http/dtalk/proto/codec.ts';
import { Op } from '../../../src/http/dtalk/proto/frame.ts';
import { commonEnvelope, decodeBiz, decodeCommon, MsgType, SignalType } from '../../../src/http/dtalk/proto/messages.ts';
import { signToken } from '../../../src/http/dtalk/signature.ts';
import { client } from '../../support/http.ts';
import { makeUser } from '../../support/fixtures.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { authBody, SocketClient } from './socket-client.ts';
import { isMessage, isSignal } from './socket-frames.ts';
import { DtalkUser, rawPost } from './support.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function form(part: Uint8Array): FormData {
  const f = new FormData();
  f.append('message', new Blob([Buffer.from(part)]), 'message');
  return f;
}
const textEnvelope = (to: string, content: string, seq: string) =>
  commonEnvelope({ channelType: 0, seq, target: to, msgType: MsgType.Text, msg: encode('imparse.proto.TextMsg', { content }) });

describe('dtalk fidelity (issue 13)', () => {
  let server: TestServer;
  const open: SocketClient[] = [];
  const online = async (u: DtalkUser, uuid: string): Promise<SocketClient> => {
    const c = await SocketClient.connect(server.url);
    open.push(c);
    await c.auth(u.token(), { uuid });
    await c.next(isSignal(SignalType.EndpointLogin));
    return c;
  };
  const push = (u: DtalkUser, envelope: Uint8Array) => rawPost(server.url, '/record/push', { 'FZM-SIGNATURE': u.token() }, form(envelope));
  const sync = async (u: DtalkUser) => {
    const r = await u.post('/app/record/sync-record', { count: 1000, start: 0 });
    assert.equal(r.body.result, 0, r.text);
    return (r.body.data.records as string[]).map((b64) => decodeCommon(decodeBiz(Buffer.from(b64, 'base64')).body));
  };

  before(async () => {
    server = await startTestServer({ manualClock: true });
  });
  after(async () => {
    for (const c of open) c.close();
    await server.stop();
  });

  test('group notices carry a uuid seq, the same live and in every sync-record', async () => {
    const alice = new DtalkUser(server);
    const bob = new DtalkUser(server);
    const b = await online(bob, 'bob-pc');
    const g = await alice.post('/group/app/create-group', { name: 'n', avatar: '', introduce: '', memberIds: [bob.address] });
    assert.equal(g.body.result, 0, g.text);
    const live = await b.next((f) => isMessage(f) && decodeCommon(decodeBiz(f.body).body).msgType === MsgType.Notice);
    const notice = decodeCommon(decodeBiz(live.body).body);
    assert.match(notice.seq, UUID);
    const first = (await sync(bob)).find((c) => String(c.mid) === String(notice.mid));
    const second = (await sync(bob)).find((c) => String(c.mid) === String(notice.mid));
    assert.equal(first?.seq, notice.seq);
    assert.equal(second?.seq, notice.seq);
    // Another notice gets another seq.
    assert.equal((await alice.post('/group/app/name', { id: g.body.data.id, idStr: g.body.data.idStr, name: 'renamed', publicName: 'renamed' })).body.result, 0);
    const notices = (await sync(bob)).filter((c) => c.msgType === MsgType.Notice);
    assert.ok(notices.length >= 2);
    assert.equal(new Set(notices.map((c) => c.seq)).size, notices.length);
    assert.ok(notices.every((c) => UUID.test(c.seq)));
  });

  test('a message sent without a client id (native) reaches dtalk with a stable uuid seq and msgId', async () => {
    const native = await makeUser(server);
    const carol = new DtalkUser(server);
    const carolId = (await server.core.users.ensure(server.appId, carol.address)).id;
    const sent = await client(server.url, native.token).post(`/v1/users/${carolId}/messages`, { type: 'text', body: { text: 'no client id' } });
    assert.equal(sent.status, 201, sent.text);
    const [c] = (await sync(carol)).filter((x) => String(x.mid) === String(sent.body.id));
    assert.match(c.seq, UUID);
    const r = await carol.post('/app/record/pri-chat-record', { targetId: native.handle, count: 5, logId: '99999999999999999' });
    assert.equal(r.body.data.records[0].msgId, c.seq);
  });

  test('start-call to yourself is -2000 未支持该功能, not a group-transfer error', async () => {
    const dan = new DtalkUser(server);
    const r = await dan.post('/app/start-call', { groupId: '', invitees: [dan.address], RTCType: 1 });
    assert.deepEqual(r.body, { result: -2000, message: '未支持该功能', data: null });
  });

  test('handle-call by a user outside the call is -1019 权限不足 and changes nothing', async () => {
    const caller = new DtalkUser(server);
    const callee = new DtalkUser(server);
    const stranger = new DtalkUser(server);
    const start = await caller.post('/app/start-call', { groupId: '', invitees: [callee.address], RTCType: 2 });
    assert.equal(start.body.result, 0, start.text);
    const traceId = start.body.data.traceIdStr;
    for (const answer of [true, false]) {
      const r = await stranger.post('/app/handle-call', { traceId: 0, traceIdStr: traceId, answer });
      assert.deepEqual(r.body, { result: -1019, message: '权限不足', data: null });
    }
    const check = await callee.post('/app/check-call', { traceId: 0, traceIdStr: traceId });
    assert.equal(check.body.result, 0, check.text); // still ringing
  });

  test('a dtalk sender may revoke days later (Revoke.Expire 86400 h); native keeps 120 s', async () => {
    const erin = new DtalkUser(server);
    const fred = new DtalkUser(server);
    const sent = await push(erin, textEnvelope(fred.address, 'old news', 'rv-1'));
    assert.equal(sent.body.result, 0, sent.text);
    const native = await makeUser(server);
    const other = await makeUser(server);
    const api = client(server.url, native.token);
    const nativeSent = await api.post(`/v1/users/${other.id}/messages`, { type: 'text', body: { text: 'native' } });
    server.clock!.advance(3 * 86_400_000);
    const r = await erin.post('/app/record/revoke', undefined, { raw: `{"type":0,"logId":${sent.body.data.logId}}` });
    assert.deepEqual(r.body, { result: 0, message: 'OK', data: {} });
    const nativeRevoke = await api.post(`/v1/messages/${nativeSent.body.id}/revoke`, {});
    assert.equal(nativeRevoke.status, 403, nativeRevoke.text);
    assert.equal(nativeRevoke.body.error.code, 'revoke_window_passed');
  });

  test('a signature timestamp beyond int64 is -1010; int64 max itself is a valid (future) timestamp', async () => {
    const gus = new DtalkUser(server);
    const beyond = await gus.post('/app/user/login', { connType: 0 }, { signature: signToken(gus.privateKey, '9999999999999999999', '') });
    assert.deepEqual(beyond.body, { result: -1010, message: '无效签名', data: null });
    const max = await gus.post('/app/user/login', { connType: 0 }, { signature: signToken(gus.privateKey, '9223372036854775807', '') });
    assert.equal(max.body.result, 0, max.text);
  });

  test('a 6,000-character text and a 10 KB client seq are accepted and read back as sent', async () => {
    const hal = new DtalkUser(server);
    const ivy = new DtalkUser(server);
    const content = 'x'.repeat(5999) + '字';
    const seq = 's'.repeat(10 * 1024);
    const first = await push(hal, textEnvelope(ivy.address, content, seq));
    assert.equal(first.body.result, 0, first.text);
    const again = await push(hal, textEnvelope(ivy.address, content, seq));
    assert.deepEqual(again.body.data, first.body.data); // the same seq is the same message
    const r = await ivy.post('/app/record/pri-chat-record', { targetId: hal.address, count: 5, logId: '99999999999999999' });
    assert.equal(r.body.data.record_count, 1);
    assert.equal(r.body.data.records[0].content.content, content);
    assert.equal(r.body.data.records[0].msgId, seq);
    const [c] = (await sync(ivy)).filter((x) => String(x.mid) === String(first.body.data.logId));
    assert.equal(c.seq, seq);
    assert.equal(decode<{ content: string }>('imparse.proto.TextMsg', c.msg).content, content);
  });

  test('the socket AuthMsg.appId must be dtalk', async () => {
    const jo = new DtalkUser(server);
    const wrong = await SocketClient.connect(server.url);
    open.push(wrong);
    wrong.send({ op: Op.auth, seq: 1, body: authBody(jo.token(), { uuid: 'x' }, 'other-app') });
    await wrong.waitClosed();
    assert.equal(wrong.frames.some((f) => f.op === Op.authReply), false);
    const right = await SocketClient.connect(server.url);
    open.push(right);
    right.send({ op: Op.auth, seq: 1, body: authBody(jo.token(), { uuid: 'y' }, 'dtalk') });
    const reply = await right.next((f) => f.op === Op.authReply);
    assert.equal(reply.body.length, 0);
  });
});

describe('dtalk revoke window setting', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ manualClock: true, config: { dtalkRevokeWindow: 60 } });
  });
  after(() => server.stop());

  test('PARLEY_DTALK_REVOKE_WINDOW bounds a dtalk sender', async () => {
    const a = new DtalkUser(server);
    const b = new DtalkUser(server);
    const sent = await rawPost(server.url, '/record/push', { 'FZM-SIGNATURE': a.token() }, form(textEnvelope(b.address, 'x', 'w-1')));
    server.clock!.advance(61_000);
    const r = await a.post('/app/record/revoke', undefined, { raw: `{"type":0,"logId":${sent.body.data.logId}}` });
    assert.notEqual(r.body.result, 0, r.text);
  });
});
