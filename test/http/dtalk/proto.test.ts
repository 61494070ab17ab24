import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ProtoDecodeError, decode, encode } from '../../../src/http/dtalk/proto/codec.ts';
import { FrameError, HEADER_SIZE, MAX_BODY, Op, decodeFrame, encodeFrame } from '../../../src/http/dtalk/proto/frame.ts';
import {
  Channel, EventType, MsgType, SignalType, commonAckEnvelope, commonEnvelope, decodeBiz, decodeCommon, decodeWireProto,
  encodeWireProto, noticePayload, signalEnvelope, type CommonAck,
} from '../../../src/http/dtalk/proto/messages.ts';
import { parseJson, stringifyJson } from '../../../src/http/dtalk/json.ts';

describe('socket frame header', () => {
  test('round-trips every header field, big-endian, 20 bytes', () => {
    const body = Buffer.from('hello');
    const bytes = encodeFrame({ ver: 1, op: Op.receiveMsg, seq: 0x01020304, ack: -2, body });
    assert.equal(bytes.length, HEADER_SIZE + 5);
    assert.equal(bytes.subarray(0, HEADER_SIZE).toString('hex'), '00000019' + '0014' + '0001' + '00000009' + '01020304' + 'fffffffe');
    const f = decodeFrame(bytes);
    assert.deepEqual({ ...f, body: Buffer.from(f.body) }, { ver: 1, op: 9, seq: 0x01020304, ack: -2, body });
  });

  test('an empty body and a body of exactly the maximum decode', () => {
    assert.equal(decodeFrame(encodeFrame({ op: Op.heartbeat })).body.length, 0);
    assert.equal(decodeFrame(encodeFrame({ op: Op.sendMsg, body: new Uint8Array(MAX_BODY) })).body.length, MAX_BODY);
  });

  test('garbage frames are refused with FrameError', () => {
    const good = encodeFrame({ op: Op.auth, body: Buffer.from('abc') });
    const badHeaderLen = Buffer.from(good);
    badHeaderLen.writeInt16BE(16, 4);
    const longPack = Buffer.from(good);
    longPack.writeInt32BE(1000, 0);
    const shortPack = Buffer.from(good);
    shortPack.writeInt32BE(4, 0);
    for (const bad of [Buffer.alloc(0), Buffer.from('short'), good.subarray(0, 19), badHeaderLen, longPack, shortPack, encodeFrame({ op: 7, body: new Uint8Array(MAX_BODY + 1) })]) {
      assert.throws(() => decodeFrame(bad), FrameError);
    }
  });
});

describe('protobuf layers', () => {
  test('Common round-trips inside its envelope with 64-bit values exact', () => {
    const text = encode('imparse.proto.TextMsg', { content: 'hi', mention: ['1abc'] });
    const env = commonEnvelope({
      channelType: Channel.toGroup, mid: 9007199254740993n, seq: 'uuid-1', from: 'a', target: '123',
      msgType: MsgType.Text, msg: text, datetime: 1_700_000_000_000, reference: { topic: 1, ref: 2n ** 62n },
    });
    const biz = decodeBiz(env);
    assert.equal(biz.eventType, EventType.common);
    const c = decodeCommon(biz.body);
    assert.equal(c.mid, 9007199254740993n);
    assert.equal(c.datetime, 1_700_000_000_000);
    assert.equal(c.seq, 'uuid-1');
    assert.equal(c.channelType, 1);
    assert.deepEqual(c.reference, { topic: 1, ref: 2n ** 62n });
    assert.equal(c.source, null);
    assert.deepEqual(decode('imparse.proto.TextMsg', c.msg), { content: 'hi', mention: ['1abc'] });
  });

  test('field numbers are the documented ones (hand-built wire bytes)', () => {
    // CommonAck{mid=2: 5, datetime=8: 7} → tags 0x10 and 0x40
    const ack = decodeBiz(commonAckEnvelope({ mid: 5, datetime: 7 }));
    assert.equal(ack.eventType, EventType.commonAck);
    assert.equal(Buffer.from(ack.body).toString('hex'), '10054007');
    assert.deepEqual(decode<CommonAck>('imparse.proto.CommonAck', ack.body), { mid: 5, datetime: 7 });
    // im.protocol.Proto{ver=1, op=7, seq=3, ack=4, body=5}
    const wire = encodeWireProto({ ver: 1, op: 7, seq: 3, ack: 4, body: Buffer.from('x') });
    assert.equal(Buffer.from(wire).toString('hex'), '0801100718032004' + '2a0178');
    assert.deepEqual({ ...decodeWireProto(wire), body: null }, { ver: 1, op: 7, seq: 3, ack: 4, body: null });
  });

  test('signals carry their type, body and reliable flag; a permanent mute survives', () => {
    const forever = 9223372036854775807n;
    const env = signalEnvelope('UpdateGroupMemberMuteTime', { group: 42, uid: ['a', 'b'], muteTime: forever, time: 1 });
    const sig = decode<{ type: number; body: Uint8Array; reliable: boolean }>('imparse.proto.Signal', decodeBiz(env).body);
    assert.equal(sig.type, SignalType.UpdateGroupMemberMuteTime);
    assert.equal(sig.reliable, true);
    assert.deepEqual(decode('imparse.proto.SignalUpdateGroupMemberMuteTime', sig.body), { group: 42, uid: ['a', 'b'], muteTime: forever, time: 1 });
    const login = decode<{ reliable: boolean }>('imparse.proto.Signal', decodeBiz(signalEnvelope('EndpointLogin', { uuid: 'u', device: 1 })).body);
    assert.equal(login.reliable, false);
  });

  test('notices nest their body in NoticeMsg', () => {
    const n = decode<{ type: number; body: Uint8Array }>('imparse.proto.NoticeMsg', noticePayload('KickOutGroup', { group: 7, operator: 'o', members: ['m'] }));
    assert.equal(n.type, 3);
    assert.deepEqual(decode('imparse.proto.NoticeMsgKickOutGroup', n.body), { group: 7, operator: 'o', members: ['m'] });
  });

  test('garbage bytes are a ProtoDecodeError, never a crash', () => {
    for (const bad of [Buffer.from([0x0a, 0xff]), Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), Buffer.from([0x12, 0x05, 0x01])]) {
      assert.throws(() => decodeCommon(bad), ProtoDecodeError);
    }
  });
});

describe('lossless JSON', () => {
  test('integers beyond 2^53 parse as bigint and print as raw digits', () => {
    const v = parseJson('{"muteTime":9223372036854775807,"n":12,"f":1.5,"logId":123}') as Record<string, unknown>;
    assert.equal(v.muteTime, 9223372036854775807n);
    assert.equal(v.n, 12);
    assert.equal(v.f, 1.5);
    assert.equal(stringifyJson(v), '{"muteTime":9223372036854775807,"n":12,"f":1.5,"logId":123}');
  });
});
