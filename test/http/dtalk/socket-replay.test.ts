// A phone's replay on Auth and its stream position, and the Received signal
// (the original's source "Storage, sync and history"): what a phone has not
// acknowledged is pushed again when it reconnects, once and in order; a
// phone's ack of a private message tells the sender.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Op, type Frame } from '../../../src/http/dtalk/proto/frame.ts';
import { MsgType, SignalType } from '../../../src/http/dtalk/proto/messages.ts';
import { client } from '../../support/http.ts';
import { makeUser } from '../../support/fixtures.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { online } from '../../support/ws.ts';
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
  /**
   * Every message push to `c` up to a marker: a message sent to `u` after
   * what the test waits for, so everything before it has arrived (replays
   * come before live pushes, live pushes in commit order). Markers, also
   * older ones replayed again, are acked and left out.
   */
  let markers = 0;
  const messagesUntilMarker = async (c: SocketClient, u: DtalkUser, on = server): Promise<Frame[]> => {
    const marker = `marker:${++markers}`;
    await pushText(on.url, new DtalkUser(on), u.address, marker);
    const got: Frame[] = [];
    for (;;) {
      const f = await c.next(isMessage);
      const text = textOf(f);
      if (text.startsWith('marker:')) {
        c.send({ op: Op.receiveMsgReply, ack: f.seq });
        if (text === marker) return got;
        continue;
      }
      got.push(f);
    }
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
    const [first] = await messagesUntilMarker(b, bob);
    assert.equal(textOf(first), 'm0');
    ackAll(b, [first]);
    // m1 reaches the phone but is never acknowledged: it counts as not received.
    await pushText(server.url, alice, bob.address, 'm1');
    assert.deepEqual((await messagesUntilMarker(b, bob)).map(textOf), ['m1']);
    b.close();
    await b.waitClosed();
    await storedPast(bobId, phone.uuid, m0);

    // Sent while the phone is away: through dtalk HTTP and through the native API.
    for (const t of ['m2', 'm3', 'm4']) await pushText(server.url, alice, bob.address, t);
    assert.equal((await client(server.url, native.token).post(`/v1/users/${bobId}/messages`, { type: 'text', body: { text: 'm5' } })).status, 201);

    b = await connect(bob, { ...phone, connType: 1 });
    const replayed = await messagesUntilMarker(b, bob);
    assert.deepEqual(replayed.map(textOf), ['m1', 'm2', 'm3', 'm4', 'm5']);
    assert.deepEqual(replayed.map((f) => f.seq), [...replayed.map((f) => f.seq)].sort((x, y) => x - y), 'op 9 seqs increase');
    ackAll(b, replayed);
    const last = commonOfPush(replayed[replayed.length - 1]).mid;
    await storedPast(bobId, phone.uuid, Number(last));
    b.close();
    await b.waitClosed();

    // Everything was acknowledged: the next reconnect replays nothing.
    b = await connect(bob, { ...phone, connType: 1 });
    assert.deepEqual((await messagesUntilMarker(b, bob)).map(textOf), []);
    // And live traffic still flows.
    await pushText(server.url, alice, bob.address, 'm6');
    assert.deepEqual((await messagesUntilMarker(b, bob)).map(textOf), ['m6']);
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
    const replayed = await messagesUntilMarker(b, bob, limited);
    assert.deepEqual(replayed.map(textOf), ['o3', 'o4', 'o5']);
    ackAll(b, replayed);
    await storedPast(await idOf(bob, limited), phone.uuid, Number(commonOfPush(replayed[2]).mid), limited);
    b.close();
    await b.waitClosed();
    b = await connect(bob, { ...phone, connType: 1 }, limited);
    assert.deepEqual((await messagesUntilMarker(b, bob, limited)).map(textOf), []);
    b.close();
  });

  test('a phone’s first connection starts at the present: earlier history is paged, not replayed', async () => {
    const alice = new DtalkUser(server);
    const carol = new DtalkUser(server);
    await pushText(server.url, alice, carol.address, 'before the phone');
    const c = await connect(carol, { device: ANDROID, uuid: 'carol-phone', connType: 0 });
    assert.deepEqual((await messagesUntilMarker(c, carol)).map(textOf), []);
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
    assert.deepEqual((await messagesUntilMarker(d, dave)).map(textOf), []);
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
    await fredDesk.roundTrip(); // the desktop's ack is in before the phone's

    const onPhone = await fredPhone.next(isMessage);
    const mid = commonOfPush(onPhone).mid;
    fredPhone.send({ op: Op.receiveMsgReply, ack: onPhone.seq });
    // The phone's receipt is the positive signal: a receipt for the desktop's
    // earlier ack would have come before it or with it (batches are per
    // connection, flushed on the same tick).
    const received = await e.next(isSignal(SignalType.Received));
    assert.deepEqual(signalBody<{ logs: number[] }>(received, 'Received').logs.map(Number), [Number(mid)]);
    await e.roundTrip();
    assert.equal(e.frames.filter(isSignal(SignalType.Received)).length, 0, 'a desktop ack is not a receipt');
    for (const c of [e, fredDesk, fredPhone]) c.close();
  });

  test('a native sender hears message.delivered when a dtalk phone acks; group messages give no receipt', async () => {
    const native = await makeUser(server);
    const gail = new DtalkUser(server);
    const phone = await connect(gail, { device: ANDROID, uuid: 'gail-phone', connType: 0 });
    const gailId = await idOf(gail);
    const ws = await online(server.url, native.token);
    const api = client(server.url, native.token);
    const sent = await api.post(`/v1/users/${gailId}/messages`, { type: 'text', body: { text: 'native to phone' } });
    assert.equal(sent.status, 201);
    const push = await phone.next(isMessage);
    phone.send({ op: Op.receiveMsgReply, ack: push.seq });
    let f = await ws.next('event');
    while (f.event.type !== 'message.delivered') f = await ws.next('event');
    assert.deepEqual({ userId: f.event.userId, messageIds: f.event.messageIds }, { userId: gailId, messageIds: [sent.body.id] });

    // In a group, a phone's ack tells nobody (the original sends Received for private messages only).
    const g = await api.post('/v1/groups', { name: 'receipts', memberIds: [gailId] });
    assert.equal(g.status, 201, JSON.stringify(g.body));
    const toGroup = await api.post(`/v1/groups/${g.body.group.id}/messages`, { type: 'text', body: { text: 'to the group' } });
    assert.equal(toGroup.status, 201, JSON.stringify(toGroup.body));
    let gm = await phone.next(isMessage);
    while (commonOfPush(gm).msgType !== MsgType.Text) {
      phone.send({ op: Op.receiveMsgReply, ack: gm.seq });
      gm = await phone.next(isMessage);
    }
    phone.send({ op: Op.receiveMsgReply, ack: gm.seq });
    // Then a private message, acked after the group one: its receipt is the
    // first message.delivered the native sender hears, and names it alone.
    const later = await api.post(`/v1/users/${gailId}/messages`, { type: 'text', body: { text: 'after the group' } });
    let pm = await phone.next(isMessage);
    while (Number(commonOfPush(pm).mid) !== later.body.id) {
      phone.send({ op: Op.receiveMsgReply, ack: pm.seq });
      pm = await phone.next(isMessage);
    }
    phone.send({ op: Op.receiveMsgReply, ack: pm.seq });
    let d = await ws.next('event');
    while (d.event.type !== 'message.delivered') d = await ws.next('event');
    assert.deepEqual(d.event.messageIds, [later.body.id], 'the group message gave no receipt');
    await ws.close();
    phone.close();
  });
});
