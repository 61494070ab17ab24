// Two Parley servers sharing one database and one broker (Redis, then NATS):
// what is committed through one reaches dtalk sockets on the other — private
// messages sent through dtalk HTTP or the native API, group messages after a
// join made on the other server, leaves, sign-ins (EndpointLogin), and a
// phone's Received signal; a
// server that loses the broker closes its dtalk sockets.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import type { RedisBus } from '../../../src/bus/redis/redis-bus.ts';
import { Op, type Frame } from '../../../src/http/dtalk/proto/frame.ts';
import { MsgType, SignalType } from '../../../src/http/dtalk/proto/messages.ts';
import { client } from '../../support/http.ts';
import { makeUser } from '../../support/fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { SocketClient, type LoginExt } from './socket-client.ts';
import { commonOfPush, isMessage, isSignal, pushText, signalBody, textOf } from './socket-frames.ts';
import { DtalkUser } from './support.ts';

const brokers = [
  { name: 'Redis', url: process.env.PARLEY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379' },
  { name: 'NATS', url: process.env.PARLEY_TEST_NATS_URL ?? 'nats://127.0.0.1:4222' },
];

for (const broker of brokers) {
  describe(`dtalk socket across two servers over ${broker.name}`, () => {
    let db: TestDatabase;
    let a: TestServer;
    let b: TestServer;
    const open: SocketClient[] = [];
    // A prefix of our own: other test runs share the broker.
    const busPrefix = `t${randomBytes(5).toString('hex')}`;
    const connect = async (server: TestServer, u: DtalkUser, login: LoginExt = {}) => {
      const c = await SocketClient.connect(server.url);
      open.push(c);
      assert.equal((await c.auth(u.token(), login)).body.length, 0, 'Auth accepted');
      await c.next(isSignal(SignalType.EndpointLogin));
      return c;
    };
    const noMessageWithin = async (c: SocketClient, ms = 500) => {
      await new Promise((r) => setTimeout(r, ms));
      await c.roundTrip();
      assert.deepEqual(c.frames.filter((f) => isMessage(f) && commonOfPush(f).msgType === MsgType.Text).map(textOf), []);
    };

    before(async () => {
      db = await createTestDatabase();
      a = await startTestServer({ db, config: { bus: broker.url, busPrefix, nodeId: 1 } });
      b = await startTestServer({ db, config: { bus: broker.url, busPrefix, nodeId: 2 } });
    });
    after(async () => {
      for (const c of open) c.close();
      await a.stop();
      await b.stop();
      await db.drop();
    });

    test('private messages sent on A, through dtalk HTTP and the native API, reach a dtalk socket on B in order', async () => {
      const alice = new DtalkUser(a);
      const bob = new DtalkUser(a);
      const native = await makeUser(a);
      const onB = await connect(b, bob);
      const bobId = (await a.core.users.getByHandle(a.appId, bob.address)).id;
      for (let i = 1; i <= 10; i++) await pushText(a.url, alice, bob.address, `d${i}`);
      assert.equal((await client(a.url, native.token).post(`/v1/users/${bobId}/messages`, { type: 'text', body: { text: 'native' } })).status, 201);
      const got: Frame[] = [];
      while (got.length < 11) got.push(await onB.next(isMessage));
      assert.deepEqual(got.map(textOf), [...Array.from({ length: 10 }, (_, i) => `d${i + 1}`), 'native']);
      assert.equal(commonOfPush(got[0]).from, alice.address);
      assert.equal(commonOfPush(got[10]).from, native.handle);
      await noMessageWithin(onB); // each once
    });

    test('a group made on A after B’s socket connected: its signals and messages reach B; after leaving, nothing more', async () => {
      const owner = new DtalkUser(a);
      const member = new DtalkUser(a);
      const onB = await connect(b, member);
      const created = await owner.post('/group/app/create-group', { name: 'two nodes', avatar: '', introduce: '', memberIds: [member.address] });
      assert.equal(created.body.result, 0);
      const groupId = String(created.body.data.idStr);
      const joined = await onB.next(isSignal(SignalType.SignInGroup));
      assert.ok(signalBody<{ uid: string[] }>(joined, 'SignInGroup').uid.includes(member.address));
      // The member's socket on B follows the join (the bridge's member envelope) and hears the group.
      await pushText(a.url, owner, groupId, 'to the group', 1);
      // The group's notices (msgType 7) come first.
      const m = await onB.next((f) => isMessage(f) && commonOfPush(f).msgType === MsgType.Text);
      assert.equal(textOf(m), 'to the group');
      assert.equal(commonOfPush(m).target, groupId);

      assert.equal((await member.post('/group/app/group-exit', { id: 0, idStr: groupId })).body.result, 0);
      const left = await onB.next(isSignal(SignalType.SignOutGroup));
      assert.deepEqual(signalBody<{ uid: string[] }>(left, 'SignOutGroup').uid, [member.address]);
      await onB.roundTrip();
      onB.frames.splice(0);
      await pushText(a.url, owner, groupId, 'after the leave', 1);
      await noMessageWithin(onB);
    });

    test('a phone on B acking a message from A sends Received to the sender’s socket on A', async () => {
      const alice = new DtalkUser(a);
      const bob = new DtalkUser(a);
      const onA = await connect(a, alice);
      const phoneOnB = await connect(b, bob, { device: 0, uuid: 'bob-phone', connType: 0 });
      const mid = await pushText(a.url, alice, bob.address, 'delivered?');
      const push = await phoneOnB.next(isMessage);
      phoneOnB.send({ op: Op.receiveMsgReply, ack: push.seq });
      const received = await onA.next(isSignal(SignalType.Received));
      assert.deepEqual(signalBody<{ logs: number[] }>(received, 'Received').logs.map(Number), [mid]);
    });

    test('a sign-in on A is announced (EndpointLogin) to the user’s connection on B, not twice to the new one', async () => {
      const dora = new DtalkUser(a);
      const onB = await connect(b, dora, { device: 2, uuid: 'dora-pc', connType: 0 });
      const phoneOnA = await connect(a, dora, { device: 0, uuid: 'dora-phone', deviceName: 'Phone', connType: 0 });
      const announced = signalBody<{ uuid: string; device: number; deviceName: string }>(await onB.next(isSignal(SignalType.EndpointLogin)), 'EndpointLogin');
      assert.deepEqual({ uuid: announced.uuid, device: announced.device, deviceName: announced.deviceName }, { uuid: 'dora-phone', device: 0, deviceName: 'Phone' });
      await new Promise((r) => setTimeout(r, 300));
      await phoneOnA.roundTrip();
      assert.equal(phoneOnA.frames.filter(isSignal(SignalType.EndpointLogin)).length, 0);
    });

    if (broker.name === 'Redis') {
      test('when B loses the broker, its dtalk sockets are closed (clients reconnect and re-read the store)', async () => {
        const carol = new DtalkUser(a);
        const onB = await connect(b, carol);
        const bus = b.bus as RedisBus;
        const admin = new Redis(broker.url);
        try {
          const line = ((await admin.client('LIST')) as string).split('\n').find((l) => l.includes(`name=${bus.subscriberName} `));
          assert.ok(line, 'B’s subscriber connection is listed by name');
          await admin.client('KILL', 'ID', /\bid=(\d+)/.exec(line)![1]);
          await onB.waitClosed();
        } finally {
          admin.disconnect();
        }
        // B re-subscribed: a new connection hears what A commits.
        const again = await connect(b, carol);
        await pushText(a.url, new DtalkUser(a), carol.address, 'after the interruption');
        assert.equal(textOf(await again.next(isMessage)), 'after the interruption');
      });
    }
  });
}
