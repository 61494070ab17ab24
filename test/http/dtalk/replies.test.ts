// dtalk's `reference {topic, ref}` is core's reply (replyTo) and thread root,
// both ways: a dtalk client's quote shows in the native API, a native reply
// reaches dtalk clients as `reference`, and a reference naming no message of
// the conversation is kept as sent (the original stores it as given).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { encode } from '../../../src/http/dtalk/proto/codec.ts';
import { commonEnvelope, decodeBiz, decodeCommon, MsgType, type Common } from '../../../src/http/dtalk/proto/messages.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { DtalkUser, rawPost } from './support.ts';

let n = 0;
const text = (to: string, content: string, reference?: { topic: number | bigint; ref: number | bigint }) =>
  commonEnvelope({ channelType: 0, seq: `reply-seq-${++n}`, target: to, msgType: MsgType.Text, msg: encode('imparse.proto.TextMsg', { content }), ...(reference ? { reference } : {}) });

function form(part: Uint8Array): FormData {
  const f = new FormData();
  f.append('message', new Blob([Buffer.from(part)]), 'message');
  return f;
}

/** The reference as decimal text (the decoder gives numbers below 2^53, bigints above). */
const refOf = (c: Common | undefined) => (c?.reference ? { topic: String(c.reference.topic), ref: String(c.reference.ref) } : null);

describe('dtalk reference ↔ replies', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());
  const push = async (u: DtalkUser, part: Uint8Array) => {
    const r = await rawPost(server.url, '/record/push', { 'FZM-SIGNATURE': u.token() }, form(part));
    assert.equal(r.body.result, 0, r.text);
    return r.body.data.logId as number;
  };
  const synced = async (u: DtalkUser): Promise<Common[]> => {
    const r = await u.post('/app/record/sync-record', { count: 100 });
    assert.equal(r.body.result, 0, r.text);
    return r.body.data.records.map((b64: string) => decodeCommon(decodeBiz(Buffer.from(b64, 'base64')).body));
  };

  test('a dtalk quote is a native reply; a native reply is a dtalk reference', async () => {
    const alice = new DtalkUser(server);
    const bob = new DtalkUser(server);
    const first = await push(alice, text(bob.address, 'where is the tent?'));
    const answer = await push(bob, text(alice.address, 'in the car', { topic: first, ref: first }));
    const seen = await server.core.messages.get(server.appId, null, answer);
    assert.equal(seen.replyToId, first);
    assert.equal(seen.threadRootId, first);
    assert.deepEqual(seen.replyTo, { id: first, senderId: seen.recipientId, type: 'text', excerpt: 'where is the tent?' });

    const aliceId = (await server.core.users.ensure(server.appId, alice.address)).id;
    const bobId = (await server.core.users.ensure(server.appId, bob.address)).id;
    const native = await server.core.messages.send(server.appId, aliceId, { userId: bobId }, { type: 'text', body: { text: 'thanks' }, replyTo: answer });
    const commons = await synced(bob);
    const byMid = new Map(commons.map((c) => [Number(c.mid), c]));
    assert.deepEqual(refOf(byMid.get(answer)), { topic: String(first), ref: String(first) });
    assert.deepEqual(refOf(byMid.get(native.message.id)), { topic: '0', ref: String(answer) });
    assert.equal(byMid.get(first)?.reference ?? null, null);
  });

  test('a reference to a message core does not know is kept as sent, without a link', async () => {
    const carol = new DtalkUser(server);
    const dan = new DtalkUser(server);
    const id = await push(carol, text(dan.address, 'see that one', { topic: 2n ** 60n, ref: 12345 }));
    const seen = await server.core.messages.get(server.appId, null, id);
    assert.equal(seen.replyToId, null);
    assert.equal(seen.replyTo, undefined);
    const back = (await synced(dan)).find((c) => Number(c.mid) === id);
    assert.deepEqual(refOf(back), { topic: String(2n ** 60n), ref: '12345' });
  });
});
