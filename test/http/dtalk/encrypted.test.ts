// Issue 13 item 1: the desktop client puts ciphertext straight into
// Common.msg (group AES-CBC, IV first; private AES-GCM, ciphertext then a
// 12-byte IV). The server keeps such payloads as they came and gives them
// back byte for byte on every read path, as the original does.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decode } from '../../../src/http/dtalk/proto/codec.ts';
import { Op, type Frame } from '../../../src/http/dtalk/proto/frame.ts';
import { commonEnvelope, decodeBiz, decodeCommon, encodeWireProto, EventType, MsgType, SignalType, type CommonAck } from '../../../src/http/dtalk/proto/messages.ts';
import { client } from '../../support/http.ts';
import { legacy } from '../../support/legacy.ts';
import { xim } from '../../support/xim.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { SocketClient } from './socket-client.ts';
import { isMessage, isSignal } from './socket-frames.ts';
import { DtalkUser, rawPost } from './support.ts';

/** mulberry32: a small seeded generator, so a failure can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function form(part: Uint8Array): FormData {
  const f = new FormData();
  f.append('message', new Blob([Buffer.from(part)]), 'message');
  return f;
}

const COUNT = 200;
const SEED = 13;

describe('dtalk encrypted payloads', () => {
  let server: TestServer;
  let alice: DtalkUser;
  let bob: DtalkUser;
  let groupId: string;
  let aliceSocket: SocketClient;
  let bobSocket: SocketClient;
  /** mid → what was sent. */
  const sent = new Map<string, { bytes: Buffer; msgType: number; seq: string; channel: number }>();

  const online = async (u: DtalkUser, uuid: string): Promise<SocketClient> => {
    const c = await SocketClient.connect(server.url);
    await c.auth(u.token(), { uuid });
    await c.next(isSignal(SignalType.EndpointLogin));
    return c;
  };
  const syncAll = async (u: DtalkUser) => {
    const r = await u.post('/app/record/sync-record', { count: 1000, start: 0 });
    assert.equal(r.body.result, 0, r.text);
    return (r.body.data.records as string[]).map((b64) => decodeCommon(decodeBiz(Buffer.from(b64, 'base64')).body));
  };

  before(async () => {
    server = await startTestServer({ manualClock: true });
    alice = new DtalkUser(server);
    bob = new DtalkUser(server);
    const g = await alice.post('/group/app/create-group', { name: 'n', avatar: '', introduce: '', memberIds: [bob.address] });
    assert.equal(g.body.result, 0, g.text);
    groupId = g.body.data.idStr;
    aliceSocket = await online(alice, 'alice-pc');
    bobSocket = await online(bob, 'bob-pc');
  });
  after(async () => {
    aliceSocket.close();
    bobSocket.close();
    await server.stop();
  });

  test(`${COUNT} random 48-byte payloads are accepted through push, push2 and op 7`, async () => {
    const random = seeded(SEED);
    let wayOp7 = 0;
    for (let i = 0; i < COUNT; i++) {
      const bytes = Buffer.alloc(48);
      for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(random() * 256);
      const channel = i % 2; // private (AES-GCM) and group (AES-CBC) alike
      const msgType = i % 4 < 2 ? MsgType.Text : MsgType.Image;
      const seq = `enc-${i}`;
      const envelope = commonEnvelope({ channelType: channel, seq, target: channel === 1 ? groupId : bob.address, msgType, msg: bytes });
      let mid: string;
      const way = i % 3;
      if (way === 2) {
        const frameSeq = 1000 + wayOp7++;
        aliceSocket.send({ op: Op.sendMsg, seq: frameSeq, body: envelope });
        const ack = await aliceSocket.next((f) => f.op === Op.sendMsgReply && f.ack === frameSeq);
        const biz = decodeBiz(ack.body);
        assert.equal(biz.eventType, EventType.commonAck, `payload ${i}`);
        mid = String(decode<CommonAck>('imparse.proto.CommonAck', biz.body).mid);
      } else {
        const file = way === 0 ? envelope : encodeWireProto({ ver: 1, op: Op.sendMsg, seq: 0, ack: 0, body: envelope });
        const r = await rawPost(server.url, way === 0 ? '/record/push' : '/record/push2', { 'FZM-SIGNATURE': alice.token() }, form(file));
        assert.equal(r.body.result, 0, `payload ${i}: ${r.text}`);
        mid = String(r.body.data.logId);
      }
      assert.ok(!sent.has(mid));
      sent.set(mid, { bytes, msgType, seq, channel });
    }
    assert.equal(sent.size, COUNT);
  });

  test('op 9 pushes give every payload back byte-identical, with its msgType and seq', async () => {
    const seen = new Map<string, Frame>();
    while (seen.size < COUNT) {
      const f = await bobSocket.next(isMessage, 10_000);
      bobSocket.send({ op: Op.receiveMsgReply, ack: f.seq });
      const c = decodeCommon(decodeBiz(f.body).body);
      const want = sent.get(String(c.mid));
      if (!want) continue; // the group's creation notice
      seen.set(String(c.mid), f);
      assert.deepEqual(Buffer.from(c.msg), want.bytes, `mid ${c.mid}`);
      assert.equal(c.msgType, want.msgType);
      assert.equal(c.seq, want.seq);
      assert.equal(c.from, alice.address);
      assert.equal(c.channelType, want.channel);
    }
  });

  test('sync-record gives every payload back byte-identical', async () => {
    const records = await syncAll(bob);
    const mine = records.filter((c) => sent.has(String(c.mid)));
    assert.equal(mine.length, COUNT);
    for (const c of mine) {
      const want = sent.get(String(c.mid))!;
      assert.deepEqual(Buffer.from(c.msg), want.bytes, `mid ${c.mid}`);
      assert.equal(c.msgType, want.msgType);
      assert.equal(c.seq, want.seq);
    }
  });

  test('pri-chat-record gives the private ones back as the base64 of their bytes', async () => {
    const privates = [...sent.entries()].filter(([, v]) => v.channel === 0);
    const got = new Map<string, { msgId: string; msgType: number; content: unknown }>();
    let before = '99999999999999999';
    for (;;) {
      const r = await bob.post('/app/record/pri-chat-record', { targetId: alice.address, count: 100, logId: before });
      assert.equal(r.body.result, 0, r.text);
      const records = r.body.data.records as { logId: string; msgId: string; msgType: number; content: unknown }[];
      if (records.length === 0) break;
      for (const rec of records) got.set(rec.logId, rec);
      before = records[records.length - 1].logId;
    }
    assert.equal(got.size, privates.length);
    for (const [mid, want] of privates) {
      const rec = got.get(mid)!;
      assert.equal(rec.content, want.bytes.toString('base64'), `mid ${mid}`);
      assert.equal(rec.msgType, want.msgType);
      assert.equal(rec.msgId, want.seq);
    }
  });

  test('the native API shows them as encrypted messages with the same bytes', async () => {
    const bobId = (await server.core.users.ensure(server.appId, bob.address)).id;
    const aliceId = (await server.core.users.ensure(server.appId, alice.address)).id;
    const { token } = await server.core.tokens.issue({ appId: server.appId, kind: 'user', userId: bobId });
    const api = client(server.url, token);
    const h = await api.get(`/v1/users/${aliceId}/messages?limit=5`);
    assert.equal(h.status, 200, h.text);
    assert.ok(h.body.items.length > 0);
    for (const m of h.body.items) {
      assert.equal(m.type, 'encrypted');
      assert.deepEqual(Object.keys(m.body), ['data']);
      assert.deepEqual(Buffer.from(m.body.data, 'base64'), sent.get(String(m.id))!.bytes);
    }
  });

  test('an encrypted message sent through the native API reaches dtalk as msgType 1 with its bytes', async () => {
    const carolUser = await server.core.users.create(server.appId, { handle: 'carol-native' });
    const { token } = await server.core.tokens.issue({ appId: server.appId, kind: 'user', userId: carolUser.id });
    const bobId = (await server.core.users.ensure(server.appId, bob.address)).id;
    const bytes = Buffer.from('opaque to the server, any bytes: \u0000\u00ff');
    const r = await client(server.url, token).post(`/v1/users/${bobId}/messages`, { type: 'encrypted', body: { data: bytes.toString('base64'), scheme: 'e2e-v1' } });
    assert.equal(r.status, 201, r.text);
    const [c] = (await syncAll(bob)).filter((x) => String(x.mid) === String(r.body.id));
    assert.equal(c.msgType, MsgType.Text);
    assert.deepEqual(Buffer.from(c.msg), bytes);
    const f = await bobSocket.next((x) => isMessage(x) && String(decodeCommon(decodeBiz(x.body).body).mid) === String(r.body.id));
    bobSocket.send({ op: Op.receiveMsgReply, ack: f.seq });
    assert.deepEqual(Buffer.from(decodeCommon(decodeBiz(f.body).body).msg), bytes);
  });

  test('xim and legacy show the group\'s encrypted messages as opaque records', async () => {
    const groupWant = new Map([...sent.entries()].filter(([, v]) => v.channel === 1));
    const h = await xim(server.url, server.adminToken)('History', { groupId, limit: 20 });
    assert.equal(h.body.code, 0, h.text);
    const encrypted = (h.body.data.list as { idStr: string; json?: { content: string } }[]).filter((m) => groupWant.has(m.idStr));
    assert.ok(encrypted.length > 0);
    for (const m of encrypted) {
      const content = JSON.parse(m.json!.content) as { type: string; data: string };
      assert.equal(content.type, 'encrypted');
      assert.deepEqual(Buffer.from(content.data, 'base64'), groupWant.get(m.idStr)!.bytes);
    }
    const bobId = (await server.core.users.ensure(server.appId, bob.address)).id;
    const { token } = await server.core.tokens.issue({ appId: server.appId, kind: 'user', userId: bobId });
    const records = await legacy(server.url, { uid: bobId, accessToken: token }).form('chat!loadChatRecords', { groupId, lastTime: '0' });
    assert.equal(records.body.success, true, records.text);
    const mine = (records.body.recordList as { msg_id: string; type: string; msg: string }[]).filter((r) => groupWant.has(r.msg_id));
    assert.ok(mine.length > 0);
    for (const r of mine) assert.deepEqual({ type: r.type, msg: r.msg }, { type: 'txt', msg: '[encrypted]' });
  });

  test('an encrypted message is revoked like any other: Revoke signal, gone from sync-record', async () => {
    const [mid] = [...sent.entries()].find(([, v]) => v.channel === 0)!;
    const r = await alice.post('/app/record/revoke', undefined, { raw: `{"type":0,"logId":${mid}}` });
    assert.equal(r.body.result, 0, r.text);
    const signal = await bobSocket.next(isSignal(SignalType.Revoke));
    bobSocket.send({ op: Op.receiveMsgReply, ack: signal.seq });
    const body = decode<{ mid: number }>('imparse.proto.SignalRevoke', decode<{ body: Uint8Array }>('imparse.proto.Signal', decodeBiz(signal.body).body).body);
    assert.equal(String(body.mid), mid);
    const records = await syncAll(bob);
    assert.ok(!records.some((c) => String(c.mid) === mid));
    assert.equal(records.filter((c) => sent.has(String(c.mid))).length, COUNT - 1);
  });

  test('a refused op 7 always gets its op 8, carrying the error', async () => {
    const strangerGroup = '123456789';
    const envelope = commonEnvelope({ channelType: 1, seq: 'refused-1', target: strangerGroup, msgType: MsgType.Text, msg: Buffer.from([1, 2, 3]) });
    aliceSocket.send({ op: Op.sendMsg, seq: 77, body: envelope });
    const reply = await aliceSocket.next((f) => f.op === Op.sendMsgReply && f.ack === 77);
    assert.equal(reply.seq, 77);
    assert.deepEqual(JSON.parse(Buffer.from(reply.body).toString()), { result: -10500, message: '发送失败', data: 'group 123456789 does not exist' });
    aliceSocket.send({ op: Op.sendMsg, seq: 78, body: Buffer.from('not an envelope') });
    const garbage = await aliceSocket.next((f) => f.op === Op.sendMsgReply && f.ack === 78);
    assert.equal(JSON.parse(Buffer.from(garbage.body).toString()).result, -10500);
  });
});
