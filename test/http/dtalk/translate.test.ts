import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decode, encode } from '../../../src/http/dtalk/proto/codec.ts';
import { MsgType, type Common } from '../../../src/http/dtalk/proto/messages.ts';
import { commonOf, contentOf, inputOf, type Names, type StoredMessage } from '../../../src/http/dtalk/records/translate.ts';

const people = new Map([[1, '1Alice'], [2, '1Bob']]);
const names: Names = {
  idsOf: async (addresses) => addresses.map((a) => [...people].find(([, v]) => v === a)?.[0] ?? 0),
  addressOf: async (id) => people.get(id) ?? '',
};

const common = (msgType: number, msg: Uint8Array, extra: Partial<Common> = {}): Common => ({
  channelType: 0, mid: 0, seq: 'uuid-1', from: '1Alice', target: '1Bob', msgType, msg, datetime: 0, source: null, reference: null, ...extra,
});

async function roundTrip(c: Common): Promise<Partial<Common>> {
  const input = await inputOf(c, names);
  const stored: StoredMessage = { id: 77, appId: 1, kind: 'private', groupId: null, senderId: 1, recipientId: 2, clientId: input.clientId ?? null, type: input.type, body: input.body, ext: input.ext ?? null, createdAt: 1234 };
  const out = await commonOf(stored, names);
  assert.ok(out);
  return out;
}

describe('dtalk ↔ core message translation', () => {
  test('text with mentions maps to a core text message and back', async () => {
    const msg = encode('imparse.proto.TextMsg', { content: 'hello', mention: ['1Bob'] });
    const input = await inputOf(common(MsgType.Text, msg), names);
    assert.deepEqual(input, { type: 'text', body: { text: 'hello', mentions: [2] }, ext: null, clientId: 'uuid-1' });
    const back = await roundTrip(common(MsgType.Text, msg));
    assert.equal(back.mid, 77);
    assert.equal(back.from, '1Alice');
    assert.equal(back.target, '1Bob');
    assert.equal(back.seq, 'uuid-1');
    assert.deepEqual(decode('imparse.proto.TextMsg', back.msg!), { content: 'hello', mention: ['1Bob'] });
  });

  test('media payloads keep every field', async () => {
    const cases: [number, string, object][] = [
      [MsgType.Audio, 'imparse.proto.AudioMsg', { mediaUrl: 'https://x/a.mp3', time: 12 }],
      [MsgType.Image, 'imparse.proto.ImageMsg', { mediaUrl: 'https://x/i.png', height: 10, width: 20 }],
      [MsgType.Video, 'imparse.proto.VideoMsg', { mediaUrl: 'https://x/v.mp4', time: 3, height: 4, width: 5 }],
      [MsgType.File, 'imparse.proto.FileMsg', { mediaUrl: 'https://x/f', name: 'f.txt', md5: 'abc', size: 99 }],
      [MsgType.ContactCard, 'imparse.proto.ContactCardMsg', { type: 1, id: '1Bob', name: 'Bob', avatar: 'https://x/b', server: 's', inviter: '1Alice' }],
    ];
    for (const [msgType, typeName, payload] of cases) {
      const back = await roundTrip(common(msgType, encode(typeName, payload)));
      assert.equal(back.msgType, msgType);
      assert.deepEqual(decode(typeName, back.msg!), payload, typeName);
    }
  });

  test('dtalk-only payloads, source and reference round-trip exactly', async () => {
    const forward = encode('imparse.proto.ForwardMsg', { items: [{ avatar: 'a', name: 'n', msgType: 1, msg: Buffer.from([1, 2, 3]), datetime: 5 }] });
    const back = await roundTrip(common(MsgType.Forward, forward, { source: { channelType: 1, from: { id: 'x', name: 'X' }, target: null }, reference: { topic: 2n ** 60n, ref: 3 } }));
    assert.equal(back.msgType, MsgType.Forward);
    assert.deepEqual(Buffer.from(back.msg!), Buffer.from(forward));
    assert.deepEqual(back.reference, { topic: 2n ** 60n, ref: 3n });
    assert.deepEqual(back.source, { channelType: 1, from: { id: 'x', name: 'X' }, target: null });
    const rp = encode('imparse.proto.RedPacketMsg', { txHash: 't', coinName: 'BTY', exec: 'e', packetType: 1, privateKey: 'k', remark: 'r', expire: 9, coinType: 1 });
    assert.deepEqual(Buffer.from((await roundTrip(common(MsgType.RedPacket, rp))).msg!), Buffer.from(rp));
  });

  test('server-only types are refused; a payload that is not its protobuf is kept as encrypted bytes', async () => {
    for (const t of [MsgType.System, MsgType.Notice, MsgType.RTCCall, MsgType.Collect, 99]) {
      await assert.rejects(inputOf(common(t, new Uint8Array()), names), /not sent by clients/);
    }
    const cipher = Buffer.from([0x0a, 0xff]);
    const input = await inputOf(common(MsgType.Image, cipher), names);
    assert.equal(input.type, 'encrypted');
    assert.deepEqual(input.body, { data: cipher.toString('base64') });
    const back = await roundTrip(common(MsgType.Image, cipher));
    assert.equal(back.msgType, MsgType.Image);
    assert.deepEqual(Buffer.from(back.msg!), cipher);
  });

  test('other dialects’ types are shown as text; pri-chat-record content is the payload JSON', async () => {
    const loc: StoredMessage = { id: 1, appId: 1, kind: 'group', groupId: 9, senderId: 1, recipientId: null, clientId: null, type: 'location', body: { lat: 1, lng: 2 }, ext: null, createdAt: 1 };
    const c = (await commonOf(loc, names))!;
    assert.equal(c.channelType, 1);
    assert.equal(c.target, '9');
    assert.deepEqual(decode('imparse.proto.TextMsg', c.msg!), { content: '[location]', mention: [] });
    const text: StoredMessage = { ...loc, type: 'text', body: { text: 'hi' } };
    assert.deepEqual(await contentOf(text, names), { content: 'hi' });
  });
});

describe('client message wrappings', async () => {
  const { commonFromEnvelope, commonFromWireProto, RefusedMessage } = await import('../../../src/http/dtalk/records/parse.ts');
  const { commonEnvelope, encodeWireProto, signalEnvelope } = await import('../../../src/http/dtalk/proto/messages.ts');
  const { ProtoDecodeError } = await import('../../../src/http/dtalk/proto/codec.ts');
  const text = encode('imparse.proto.TextMsg', { content: 'x' });

  test('push (envelope) and push2 (whole frame) give the same Common', () => {
    const env = commonEnvelope({ channelType: 1, seq: 's', target: '42', msgType: MsgType.Text, msg: text });
    assert.equal(commonFromEnvelope(env).target, '42');
    assert.equal(commonFromWireProto(encodeWireProto({ ver: 1, op: 7, body: env })).seq, 's');
  });

  test('signals, server msgTypes, bad channels, other ops and garbage are refused', () => {
    assert.throws(() => commonFromEnvelope(signalEnvelope('Revoke', { mid: 1 })), RefusedMessage);
    assert.throws(() => commonFromEnvelope(commonEnvelope({ target: 'a', msgType: MsgType.Notice, msg: text })), RefusedMessage);
    assert.throws(() => commonFromEnvelope(commonEnvelope({ channelType: 7, target: 'a', msgType: MsgType.Text, msg: text })), RefusedMessage);
    assert.throws(() => commonFromEnvelope(commonEnvelope({ msgType: MsgType.Text, msg: text })), RefusedMessage);
    assert.throws(() => commonFromWireProto(encodeWireProto({ op: 9, body: commonEnvelope({ target: 'a', msgType: 1, msg: text }) })), RefusedMessage);
    assert.throws(() => commonFromEnvelope(Buffer.from([0x12, 0x09, 0x01])), ProtoDecodeError);
  });
});
