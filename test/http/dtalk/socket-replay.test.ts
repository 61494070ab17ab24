// A phone's replay on Auth and its stream position, and the Received signal
// (spec/origins.md "Storage, sync and history"): what a phone has not
// acknowledged is pushed again when it reconnects, once and in order; a
// phone's ack of a private message tells the sender.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Op, type Frame } from '../../../src/http/dtalk/proto/frame.ts';
import { SignalType } from '../../../src/http/dtalk/proto/messages.ts';
import { client } from '../../support/http.ts';
import { makeUser } from '../../support/fixtures.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { SocketClient, type LoginExt } from './socket-client.ts';
import { commonOfPush, isMessage, isSignal, pushText, signalBody, textEnvelope, textOf } from './socket-frames.ts';
import { DtalkUser } from './support.ts';

const ANDROID = 0;
const WINDOWS = 2;

describe('dtalk socket: a phone’s replay and Received', () => {
  let server: TestServer;
  let limited: TestServer;
  const open: SocketClient[] = [];
  const connect = async (u: DtalkUser, login: LoginExt, on = server) => {
    const c = await SocketClient.connect(on.url);
    open.push(c);
    const reply = await c.auth(u.token(), login);
    assert.equal(reply.body.length, 0, 'Auth accepted');
    await c.next(isSignal(SignalType.EndpointLogin));
    return c;
  };
  const idOf = async (u: DtalkUser, on = server) => (await on.core.users.getByHandle(on.appId, u.address)).id;
  /** Every message push that arrives within `ms` (after what is queued already). */
  const messagesWithin = async (c: SocketClient, ms = 600): Promise<Frame[]> => {
    await new Promise((r) => setTimeout(r, ms));
    await c.roundTrip();
    const got = c.frames.filter(isMessage);
    c.frames.splice(0, c.frames.length, ...c.frames.filter((f) => !isMessage(f)));
    return got;
  };
  const ackAll = (c: SocketClient, frames: Frame[]) => {
    for (const f of frames) c.send({ op: Op.receiveMsgReply, ack: f.seq });
  };
  /** Waits until the phone's stored position covers message `mid` (it is stored after acks, and when the phone leaves). */
  const storedPast = async (userId: number, uuid: string, mid: number, on = server) => {
    const m = await on.core.messages.get(on.appId, null, mid);
    for (let i = 0; i < 100; i++) {
      if (((await on.core.devices.deliveredPosition(userId, uuid)) ?? 0) >= m.pos) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.fail(`the position of ${uuid} never passed message ${mid}`);
  };

  before(async () => {
    server = await startTestServer();
    limited = await startTestServer({ config: { dtalkReplayLimit: 3 } });
  });
  after(async () => {
    for (const c of open) c.close();
    await server.stop();
    await limited.stop();
  });

  test('a phone that reconnects gets what it did not acknowledge and what was sent meanwhile, once, in order', async () => {
    const alice = new DtalkUser(server);
    const bob = new DtalkUser(server);
    const native = await makeUser(server);
    const phone = { device: ANDROID, uuid: 'bob-phone', deviceName: 'Pixel' };

    let b = await connect(bob, { ...phone, connType: 0 });
    const bobId = await idOf(bob);
    const m0 = await pushText(server.url, alice, bob.address, 'm0');
    const [first] = await messagesWithin(b);
    assert.equal(textOf(first), 'm0');
    ackAll(b, [first]);
    // m1 reaches the phone but is never acknowledged: it counts as not received.
    await pushText(server.url, alice, bob.address, 'm1');
    assert.deepEqual((await messagesWithin(b)).map(textOf), ['m1']);
    b.close();
    await b.waitClosed();
    await storedPast(bobId, phone.uuid, m0);

    // Sent while the phone is away: through dtalk HTTP and through the native API.
    for (const t of ['m2', 'm3', 'm4']) await pushText(server.url, alice, bob.address, t);
    assert.equal((await client(server.url, native.token).post(`/v1/users/${bobId}/messages`, { type: 'text', body: { text: 'm5' } })).status, 201);

    b = await connect(bob, { ...phone, connType: 1 });
    const replayed = await messagesWithin(b);
    assert.deepEqual(replayed.map(textOf), ['m1', 'm2', 'm3', 'm4', 'm5']);
    assert.deepEqual(replayed.map((f) => f.seq), [...replayed.map((f) => f.seq)].sort((x, y) => x - y), 'op 9 seqs increase');
    ackAll(b, replayed);
    const last = commonOfPush(replayed[replayed.length - 1]).mid;
    await storedPast(bobId, phone.uuid, Number(last));
    b.close();
    await b.waitClosed();

    // Everything was acknowledged: the next reconnect replays nothing.
    b = await connect(bob, { ...phone, connType: 1 });
    assert.deepEqual((await messagesWithin(b)).map(textOf), []);
    // And live traffic still flows.
    await pushText(server.url, alice, bob.address, 'm6');
    assert.deepEqual((await messagesWithin(b)).map(textOf), ['m6']);
    b.close();
  });

  test('a phone further behind than PARLEY_DTALK_REPLAY_LIMIT gets the newest ones; the older are left to sync-record', async () => {
    const alice = new DtalkUser(limited);
    const bob = new DtalkUser(limited);
    const phone = { device: ANDROID, uuid: 'bob-phone' };
    let b = await connect(bob, { ...phone, connType: 0 }, limited);
    b.close();
    await b.waitClosed();
    for (const t of ['o1', 'o2', 'o3', 'o4', 'o5']) await pushText(limited.url, alice, bob.address, t);
    b = await connect(bob, { ...phone, connType: 1 }, limited);
    const replayed = await messagesWithin(b);
    assert.deepEqual(replayed.map(textOf), ['o3', 'o4', 'o5']);
    ackAll(b, replayed);
    await storedPast(await idOf(bob, limited), phone.uuid, Number(commonOfPush(replayed[2]).mid), limited);
    b.close();
    await b.waitClosed();
    b = await connect(bob, { ...phone, connType: 1 }, limited);
    assert.deepEqual((await messagesWithin(b)).map(textOf), []);
    b.close();
  });

  test('a phone’s first connection starts at the present: earlier history is paged, not replayed', async () => {
    const alice = new DtalkUser(server);
    const carol = new DtalkUser(server);
    await pushText(server.url, alice, carol.address, 'before the phone');
    const c = await connect(carol, { device: ANDROID, uuid: 'carol-phone', connType: 0 });
    assert.deepEqual((await messagesWithin(c)).map(textOf), []);
    c.close();
  });

  test('desktop connections get no replay (they page through sync-record)', async () => {
    const alice = new DtalkUser(server);
    const dave = new DtalkUser(server);
    const desk = { device: WINDOWS, uuid: 'dave-pc', connType: 0 };
    let d = await connect(dave, desk);
    d.close();
    await d.waitClosed();
    await pushText(server.url, alice, dave.address, 'while away');
    d = await connect(dave, desk);
    assert.deepEqual((await messagesWithin(d)).map(textOf), []);
    d.close();
  });

  test('a phone’s ack of a private message sends Received{logs} to the sender’s connections; a desktop’s ack does not', async () => {
    const erin = new DtalkUser(server);
    const fred = new DtalkUser(server);
    const e = await connect(erin, { device: WINDOWS, uuid: 'erin-pc', connType: 0 });
    const fredDesk = await connect(fred, { device: WINDOWS, uuid: 'fred-pc', connType: 0 });
    const fredPhone = await connect(fred, { device: ANDROID, uuid: 'fred-phone', connType: 0 });

    e.send({ op: Op.sendMsg, seq: 7, body: textEnvelope(fred.address, 'are you there', 'uuid-there') });
    await e.next((f) => f.op === Op.sendMsgReply);
    const onDesk = await fredDesk.next(isMessage);
    fredDesk.send({ op: Op.receiveMsgReply, ack: onDesk.seq });
    await new Promise((r) => setTimeout(r, 600));
    await e.roundTrip();
    assert.equal(e.frames.filter(isSignal(SignalType.Received)).length, 0, 'a desktop ack is not a receipt');

    const onPhone = await fredPhone.next(isMessage);
    const mid = commonOfPush(onPhone).mid;
    fredPhone.send({ op: Op.receiveMsgReply, ack: onPhone.seq });
    const received = await e.next(isSignal(SignalType.Received));
    assert.deepEqual(signalBody<{ logs: number[] }>(received, 'Received').logs.map(Number), [Number(mid)]);
    for (const c of [e, fredDesk, fredPhone]) c.close();
  });
});
