import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decode, encode } from '../../../src/http/dtalk/proto/codec.ts';
import { commonEnvelope, decodeBiz, decodeCommon, encodeWireProto, MsgType, signalEnvelope, type Common } from '../../../src/http/dtalk/proto/messages.ts';
import { client } from '../../support/http.ts';
import { makeUser } from '../../support/fixtures.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { DtalkUser, rawPost } from './support.ts';

let n = 0;
const text = (to: string, content: string, seq = `seq-${++n}`) =>
  commonEnvelope({ channelType: 0, seq, target: to, msgType: MsgType.Text, msg: encode('imparse.proto.TextMsg', { content }) });

function form(part: Uint8Array | null, extra: Record<string, string> = {}): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(extra)) f.append(k, v);
  if (part) f.append('message', new Blob([Buffer.from(part)]), 'message');
  return f;
}

describe('dtalk records', () => {
  let server: TestServer;
  let alice: DtalkUser;
  let bob: DtalkUser;
  const push = (u: DtalkUser, body: FormData, path = '/record/push') => rawPost(server.url, path, { 'FZM-SIGNATURE': u.token() }, body);

  before(async () => {
    server = await startTestServer({ manualClock: true });
    alice = new DtalkUser(server);
    bob = new DtalkUser(server);
  });
  after(() => server.stop());

  test('/record/push stores a private message and answers {logId, datetime} in compact JSON', async () => {
    const r = await push(alice, form(text(bob.address, 'hello bob'), { file: 'x' }));
    assert.equal(r.body.result, 0, r.text);
    assert.equal(typeof r.body.data.logId, 'number');
    assert.equal(r.body.data.datetime, server.core.clock.now());
    assert.match(r.text, /"data":\{"logId":\d+,"datetime":\d+\}/);
  });

  test('a resend with the same client seq returns the same log id', async () => {
    const env = text(bob.address, 'once', 'same-seq');
    const first = await push(alice, form(env));
    server.clock!.advance(1000);
    const again = await push(alice, form(env));
    assert.deepEqual(again.body.data, first.body.data);
  });

  test('/record/push2 takes a whole op 7 frame; the message is stored as sent', async () => {
    const frame = encodeWireProto({ ver: 1, op: 7, seq: 0, ack: 0, body: text(bob.address, 'via push2', 'push2-seq') });
    const r = await push(alice, form(frame), '/record/push2');
    assert.equal(r.body.result, 0, r.text);
    const read = await bob.post('/app/record/pri-chat-record', { targetId: alice.address, count: 1, logId: '99999999999999999' });
    assert.equal(read.body.result, 0, read.text);
    assert.deepEqual(read.body.data.records[0], {
      logId: String(r.body.data.logId),
      msgId: 'push2-seq',
      fromId: alice.address,
      targetId: bob.address,
      msgType: MsgType.Text,
      content: { content: 'via push2' },
      createTime: r.body.data.datetime,
    });
  });

  test('bad pushes get the original codes, never a 500', async () => {
    const cases: [FormData | string, number][] = [
      [form(null, { file: 'x' }), -1000], // no `message` part
      [form(new Uint8Array(0)), -1009], // empty part
      [form(Buffer.from([0x12, 0x09, 0x01])), -10500], // garbage protobuf
      [form(signalEnvelope('Revoke', { mid: 1 })), -10500], // a signal
      [form(commonEnvelope({ channelType: 0, target: bob.address, msgType: MsgType.Notice, msg: new Uint8Array() })), -10500],
      [form(commonEnvelope({ channelType: 1, target: '123', msgType: MsgType.Text, msg: encode('imparse.proto.TextMsg', { content: 'x' }) })), -10500], // no such group
      [form(commonEnvelope({ channelType: 0, target: 'bad address!', msgType: MsgType.Text, msg: encode('imparse.proto.TextMsg', { content: 'x' }) })), -10500],
      [form(new Uint8Array(1_100_000)), -10202], // over 1 MiB
    ];
    for (const [body, result] of cases) {
      const r = await push(alice, body as FormData);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.result, result, r.text);
    }
    const notMultipart = await alice.post('/record/push', { message: 'x' });
    assert.equal(notMultipart.body.result, -1000);
    const push2Garbage = await push(alice, form(Buffer.from('not a frame')), '/record/push2');
    assert.equal(push2Garbage.body.result, -10500);
  });

  test('pri-chat-record pages older messages, newest first, with JSON content', async () => {
    const carol = new DtalkUser(server);
    const ids: number[] = [];
    for (const word of ['one', 'two', 'three']) {
      server.clock!.advance(10);
      ids.push((await push(carol, form(text(bob.address, word)))).body.data.logId);
    }
    const r = await bob.post('/app/record/pri-chat-record', undefined, { raw: `{"targetId":"${carol.address}","count":2,"logId":"99999999999999999"}` });
    assert.equal(r.body.result, 0, r.text);
    assert.equal(r.body.data.record_count, 2);
    assert.deepEqual(r.body.data.records.map((x: { content: { content: string } }) => x.content.content), ['three', 'two']);
    const first = r.body.data.records[0];
    assert.equal(first.logId, String(ids[2]));
    assert.equal(first.fromId, carol.address);
    assert.equal(first.targetId, bob.address);
    assert.equal(first.msgType, MsgType.Text);
    assert.equal(typeof first.msgId, 'string');
    const older = await bob.post('/app/record/pri-chat-record', { targetId: carol.address, count: 10, logId: String(ids[1]) });
    assert.deepEqual(older.body.data.records.map((x: { content: { content: string } }) => x.content.content), ['one']);
    const empty = await bob.post('/app/record/pri-chat-record', { targetId: carol.address, count: 10, logId: '' });
    assert.deepEqual(empty.body.data, { record_count: 0, records: [] });
    for (const bad of [{ targetId: carol.address, count: 0, logId: '1' }, { targetId: carol.address, count: 101, logId: '1' }, { targetId: carol.address, count: 5 }, { count: 5, logId: '1' }, { targetId: 1, count: 5, logId: '1' }]) {
      assert.equal((await bob.post('/app/record/pri-chat-record', bad)).body.result, -1012, JSON.stringify(bad));
    }
  });

  test('sync-record returns base64 envelopes after `start`, oldest first', async () => {
    const dave = new DtalkUser(server);
    const erin = new DtalkUser(server);
    const ids: number[] = [];
    for (const word of ['a', 'b', 'c']) ids.push((await push(dave, form(text(erin.address, word)))).body.data.logId);
    const all = await erin.post('/app/record/sync-record', { count: 10 });
    assert.equal(all.body.result, 0, all.text);
    const commons = all.body.data.records.map((b64: string) => decodeCommon(decodeBiz(Buffer.from(b64, 'base64')).body));
    assert.deepEqual(commons.map((c: Common) => decode<{ content: string }>('imparse.proto.TextMsg', c.msg).content), ['a', 'b', 'c']);
    assert.equal(commons[0].from, dave.address);
    assert.equal(commons[0].target, erin.address);
    assert.equal(all.body.data.record_count, 3);
    const newest = await erin.post('/app/record/sync-record', { count: 2 });
    assert.equal(newest.body.data.record_count, 2);
    const after = await erin.post('/app/record/sync-record', undefined, { raw: `{"count":10,"start":${ids[0]}}` });
    assert.equal(after.body.data.record_count, 2);
    for (const bad of [{ count: 0 }, { count: 1001 }, {}, { count: 'x' }, { count: 5, start: 'x' }]) {
      assert.equal((await erin.post('/app/record/sync-record', bad)).body.result, -1012, JSON.stringify(bad));
    }
  });

  test('revoke: the sender may; others get -1019; unknown and mistyped ids are refused', async () => {
    const frank = new DtalkUser(server);
    const id = (await push(frank, form(text(bob.address, 'oops')))).body.data.logId;
    assert.equal((await bob.post('/app/record/revoke', { type: 0, logId: id })).body.result, -1019);
    assert.equal((await frank.post('/app/record/revoke', { type: 1, logId: id })).body.result, -1007);
    assert.equal((await frank.post('/app/record/revoke', undefined, { raw: `{"type":0,"logId":${id}}` })).body.result, 0);
    assert.equal((await frank.post('/app/record/revoke', { logId: id })).body.result, -1009, 'already revoked');
    assert.equal((await frank.post('/app/record/revoke', { type: 0, logId: 12345 })).body.result, -1007);
    assert.equal((await frank.post('/app/record/revoke', { type: 0, logId: '9223372036854775807' })).body.result, -1007);
    assert.equal((await frank.post('/app/record/revoke', { type: 2, logId: id })).body.result, -1012);
    assert.equal((await frank.post('/app/record/revoke', { type: 0 })).body.result, -1012);
    const pri = await bob.post('/app/record/pri-chat-record', { targetId: frank.address, count: 10, logId: '99999999999999999' });
    assert.equal(pri.body.data.record_count, 0, 'a revoked message is gone from the records');
  });

  test('focus: the recipient may, the sender may not', async () => {
    const gina = new DtalkUser(server);
    const id = (await push(gina, form(text(bob.address, 'look')))).body.data.logId;
    assert.equal((await gina.post('/app/record/focus', { type: 0, logId: id })).body.result, -1019);
    assert.equal((await bob.post('/app/record/focus', { logId: id })).body.result, 0);
    assert.equal((await bob.post('/app/record/focus', { type: 0, logId: 1 })).body.result, -1007);
  });

  test('a message from the native API is a record for the dtalk user, and the reverse', async () => {
    const native = await makeUser(server);
    const api = client(server.url, native.token);
    const helen = new DtalkUser(server);
    const helenId = (await server.core.users.ensure(server.appId, helen.address)).id;
    const sent = await api.post(`/v1/users/${helenId}/messages`, { type: 'text', body: { text: 'from native' } });
    assert.equal(sent.status, 201, sent.text);
    const r = await helen.post('/app/record/pri-chat-record', { targetId: native.handle, count: 5, logId: '99999999999999999' });
    assert.equal(r.body.data.records[0].content.content, 'from native');
    assert.equal(r.body.data.records[0].fromId, native.handle);
    await push(helen, form(text(native.handle, 'from dtalk')));
    const h = await api.get(`/v1/users/${helenId}/messages`);
    assert.equal(h.body.items[0].body.text, 'from dtalk');
  });
});
