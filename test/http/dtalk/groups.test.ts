import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decode, encode } from '../../../src/http/dtalk/proto/codec.ts';
import { Op, type Frame } from '../../../src/http/dtalk/proto/frame.ts';
import { commonEnvelope, decodeBiz, decodeCommon, EventType, MsgType, SignalType } from '../../../src/http/dtalk/proto/messages.ts';
import { client } from '../../support/http.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { SocketClient } from './socket-client.ts';
import { DtalkUser, rawPost } from './support.ts';

const signal = (type: number) => (f: Frame) => {
  if (f.op !== Op.receiveMsg) return false;
  const biz = decodeBiz(f.body);
  return biz.eventType === EventType.signal && decode<{ type: number }>('imparse.proto.Signal', biz.body).type === type;
};
const signalBody = <T>(name: string, f: Frame): T => decode<T>(`imparse.proto.Signal${name}`, decode<{ body: Uint8Array }>('imparse.proto.Signal', decodeBiz(f.body).body).body);

describe('dtalk groups', () => {
  let server: TestServer;
  let alice: DtalkUser;
  let bob: DtalkUser;
  let carol: DtalkUser;
  let dave: DtalkUser;
  let group: { id: number; idStr: string };
  const open: SocketClient[] = [];
  before(async () => {
    server = await startTestServer({ manualClock: true });
    [alice, bob, carol, dave] = [new DtalkUser(server), new DtalkUser(server), new DtalkUser(server), new DtalkUser(server)];
  });
  after(async () => {
    for (const c of open) c.close();
    await server.stop();
  });

  test('create-group answers the full GroupInfo with owner, person and ordered members', async () => {
    const r = await alice.post('/group/app/create-group', { name: 'enc-name', avatar: 'a.png', introduce: 'hi', memberIds: [bob.address, ` ${carol.address} `] });
    assert.equal(r.body.result, 0, r.text);
    const g = r.body.data;
    group = { id: g.id, idStr: g.idStr };
    assert.equal(g.idStr, String(g.id));
    assert.match(g.markId, /^[0-9]{8}$/);
    assert.match(g.key, /^[0-9a-f]{32}$/);
    assert.equal(g.name, 'enc-name');
    assert.equal(g.publicName, 'enc-name');
    assert.deepEqual([g.memberNum, g.maximum, g.status, g.joinType, g.muteType, g.friendType, g.muteNum, g.adminNum, g.groupType], [3, 2000, 0, 0, 0, 0, 0, 0, 0]);
    assert.deepEqual(g.owner, { memberId: alice.address, memberName: g.owner.memberName, memberType: 2, memberMuteTime: 0 });
    assert.equal(g.person.memberId, alice.address);
    // Owner first; members who joined in the same millisecond in either order.
    assert.equal(g.members[0].memberId, alice.address);
    assert.deepEqual(g.members.slice(1).map((m: { memberId: string }) => m.memberId).sort(), [bob.address, carol.address].sort());
  });

  test('group-info, group-pub-info and a body-less group-list', async () => {
    const info = await bob.post('/group/app/group-info', { idStr: group.idStr });
    assert.equal(info.body.data.person.memberId, bob.address);
    assert.equal(info.body.data.members.length, 3);
    assert.match(info.body.data.key, /^[0-9a-f]{32}$/);
    const outsider = await dave.post('/group/app/group-info', { id: group.id });
    assert.equal(outsider.body.result, 0, outsider.text);
    assert.equal(outsider.body.data.key, '');
    assert.equal(outsider.body.data.person, null);
    const pub = await bob.post('/group/app/group-pub-info', { id: 0, idStr: group.idStr });
    assert.equal(pub.body.data.members, undefined);
    const list = await rawPost(server.url, '/group/app/group-list', { 'FZM-SIGNATURE': carol.token() });
    assert.deepEqual(list.body.data.groups.map((x: { id: number }) => x.id), [group.id]);
    assert.equal((await bob.post('/group/app/group-info', { idStr: '999' })).body.result, -10026);
    assert.equal((await bob.post('/group/app/group-info', { idStr: 'x', id: group.id })).body.data.id, group.id);
  });

  test('roles, mutes (24 h cap, forever echoed exactly) and the member views', async () => {
    assert.equal((await bob.post('/group/app/member/type', { idStr: group.idStr, memberId: carol.address, memberType: 1 })).body.result, -10025);
    assert.equal((await alice.post('/group/app/member/type', { idStr: group.idStr, memberId: bob.address, memberType: 1 })).body.result, 0);
    assert.equal((await alice.post('/group/app/member/type', { idStr: group.idStr, memberId: bob.address, memberType: 2 })).body.result, -1012);
    const now = server.core.clock.now();
    const hour = await alice.post('/group/app/member/muteTime', { idStr: group.idStr, memberIds: [carol.address, bob.address], muteTime: 3_600_000 });
    assert.deepEqual(hour.body.data.members, [{ memberId: carol.address, memberName: hour.body.data.members[0].memberName, memberType: 0, memberMuteTime: now + 3_600_000 }]);
    const forever = await alice.post('/group/app/member/muteTime', undefined, { raw: `{"idStr":"${group.idStr}","memberIds":["${carol.address}"],"muteTime":9223372036854775807}` });
    assert.match(forever.text, /"memberMuteTime":9223372036854775807/);
    const mine = await carol.post('/group/app/group-member-info', { idStr: group.idStr, memberId: carol.address });
    assert.match(mine.text, /"memberMuteTime":9223372036854775807/);
    assert.equal((await alice.post('/group/app/mute-list', { idStr: group.idStr })).body.data.members.length, 1);
    for (const muteTime of [86_400_001, -1]) assert.equal((await alice.post('/group/app/member/muteTime', { idStr: group.idStr, memberIds: [carol.address], muteTime })).body.result, -1012);
    assert.equal((await carol.post('/group/app/member/muteTime', { idStr: group.idStr, memberIds: [bob.address], muteTime: 1000 })).body.result, -10020);
    const unmuted = await alice.post('/group/app/member/muteTime', { idStr: group.idStr, memberIds: [carol.address], muteTime: 0 });
    assert.equal(unmuted.body.data.members[0].memberMuteTime, 0);
    const info = await alice.post('/group/app/group-info', { idStr: group.idStr });
    assert.equal(info.body.data.adminNum, 1);
    assert.deepEqual(info.body.data.members.map((m: { memberType: number }) => m.memberType), [2, 1, 0]);
    assert.equal((await alice.post('/group/app/group-member-info', { idStr: group.idStr, memberId: dave.address })).body.result, -10016);
  });

  test('settings routes change the group and push signals to members online', async () => {
    const b = await SocketClient.connect(server.url);
    open.push(b);
    await b.auth(bob.token(), { uuid: 'bob-pc' });
    const ref = { idStr: group.idStr };
    assert.equal((await carol.post('/group/app/name', { ...ref, name: 'x', publicName: 'y' })).body.result, -10020);
    assert.equal((await alice.post('/group/app/name', { ...ref, name: 'new-enc', publicName: '' })).body.result, 0);
    assert.equal(signalBody<{ name: string }>('UpdateGroupName', await b.next(signal(SignalType.UpdateGroupName))).name, 'new-enc');
    assert.equal((await alice.post('/group/app/avatar', { ...ref, avatar: 'b.png' })).body.result, 0);
    assert.equal(signalBody<{ avatar: string }>('UpdateGroupAvatar', await b.next(signal(SignalType.UpdateGroupAvatar))).avatar, 'b.png');
    assert.equal((await bob.post('/group/app/joinType', { ...ref, joinType: 1 })).body.result, 0);
    assert.equal(signalBody<{ type: number }>('UpdateGroupJoinType', await b.next(signal(SignalType.UpdateGroupJoinType))).type, 1);
    assert.equal((await alice.post('/group/app/friendType', { ...ref, friendType: 1 })).body.result, 0);
    assert.equal(signalBody<{ type: number }>('UpdateGroupFriendType', await b.next(signal(SignalType.UpdateGroupFriendType))).type, 1);
    assert.equal((await alice.post('/group/app/muteType', { ...ref, muteType: 1 })).body.result, 0);
    assert.equal(signalBody<{ type: number }>('UpdateGroupMuteType', await b.next(signal(SignalType.UpdateGroupMuteType))).type, 1);
    const g = (await alice.post('/group/app/group-pub-info', ref)).body.data;
    assert.deepEqual([g.name, g.publicName, g.avatar, g.joinType, g.friendType, g.muteType], ['new-enc', 'enc-name', 'b.png', 1, 1, 1]);
    for (const [path, body] of [['/group/app/joinType', { ...ref, joinType: 3 }], ['/group/app/friendType', { ...ref, friendType: 2 }], ['/group/app/muteType', { ...ref, muteType: -1 }], ['/group/app/avatar', ref]] as const) {
      assert.equal((await alice.post(path, body)).body.result, -1012, path);
    }
    await alice.post('/group/app/muteType', { ...ref, muteType: 0 });
  });

  test('invite and join follow joinType; members join and leave with signals', async () => {
    const ref = { idStr: group.idStr };
    // joinType is 1: only owner and admins invite
    assert.equal((await carol.post('/group/app/invite-group-members', { ...ref, newMemberIds: [dave.address] })).body.result, -10005);
    assert.equal((await dave.post('/group/app/join-group', { id: 0, idStr: group.idStr, inviterId: carol.address })).body.result, -10005);
    const inv = await bob.post('/group/app/invite-group-members', { ...ref, newMemberIds: [dave.address] });
    assert.deepEqual(inv.body.data, { id: group.id, idStr: group.idStr, memberNum: 4 });
    const b = open[0];
    const joined = signalBody<{ uid: string[] }>('SignInGroup', await b.next(signal(SignalType.SignInGroup)));
    assert.deepEqual(joined.uid, [dave.address]);
    assert.equal((await dave.post('/group/app/group-exit', ref)).body.result, 0);
    assert.deepEqual(signalBody<{ uid: string[] }>('SignOutGroup', await b.next(signal(SignalType.SignOutGroup))).uid, [dave.address]);
    assert.equal((await alice.post('/group/app/joinType', { ...ref, joinType: 0 })).body.result, 0);
    assert.equal((await dave.post('/group/app/join-group', { id: 0, idStr: group.idStr, inviterId: carol.address })).body.result, 0);
    assert.equal((await dave.post('/group/app/join-group', { id: 0, idStr: group.idStr, inviterId: carol.address })).body.result, -10029);
    assert.equal((await dave.post('/group/app/join-group', { idStr: group.idStr, inviterId: carol.address })).body.result, -1012, 'id is required');
    const stranger = new DtalkUser(server);
    assert.equal((await stranger.post('/group/app/join-group', { id: 0, idStr: group.idStr, inviterId: new DtalkUser(server).address })).body.result, -10006);
    const removed = await carol.post('/group/app/group-remove', { ...ref, memberIds: [dave.address] });
    assert.equal(removed.body.result, -1019);
    const kicked = await alice.post('/group/app/group-remove', { ...ref, memberIds: [dave.address, stranger.address] });
    assert.deepEqual(kicked.body.data, { memberNum: 3, memberIds: [dave.address] });
    assert.equal((await alice.post('/group/app/group-exit', ref)).body.result, -10021);
  });

  test('group messages reach members; non-members cannot send; the same group is native', async () => {
    const b = open[0];
    const form = new FormData();
    form.append('message', new Blob([Buffer.from(commonEnvelope({ channelType: 1, seq: 'g-1', target: group.idStr, msgType: MsgType.Text, msg: encode('imparse.proto.TextMsg', { content: 'hello group' }) }))]), 'message');
    const sent = await rawPost(server.url, '/record/push', { 'FZM-SIGNATURE': carol.token() }, form);
    assert.equal(sent.body.result, 0, sent.text);
    const got = await b.next((f) => f.op === Op.receiveMsg && decodeBiz(f.body).eventType === EventType.common);
    const c = decodeCommon(decodeBiz(got.body).body);
    assert.deepEqual([c.channelType, c.target, c.from], [1, group.idStr, carol.address]);
    const form2 = new FormData();
    form2.append('message', new Blob([Buffer.from(commonEnvelope({ channelType: 1, seq: 'g-2', target: group.idStr, msgType: MsgType.Text, msg: encode('imparse.proto.TextMsg', { content: 'x' }) }))]), 'message');
    assert.equal((await rawPost(server.url, '/record/push', { 'FZM-SIGNATURE': dave.token() }, form2)).body.result, -10500);
    const native = await client(server.url, server.adminToken).get(`/v1/groups/${group.id}`);
    assert.equal(native.status, 200, native.text);
  });

  test('change-owner and disband', async () => {
    const ref = { idStr: group.idStr };
    assert.equal((await bob.post('/group/app/change-owner', { ...ref, memberId: carol.address })).body.result, -1019);
    assert.equal((await alice.post('/group/app/change-owner', { ...ref, memberId: dave.address })).body.result, -10006);
    assert.equal((await alice.post('/group/app/change-owner', { ...ref, memberId: bob.address })).body.result, 0);
    const b = open[0];
    const types = [signalBody<{ uid: string; type: number }>('UpdateGroupMemberType', await b.next(signal(SignalType.UpdateGroupMemberType)))];
    assert.deepEqual([types[0].uid, types[0].type], [bob.address, 2]);
    assert.equal((await alice.post('/group/app/group-disband', ref)).body.result, -1019);
    assert.equal((await bob.post('/group/app/group-disband', ref)).body.result, 0);
    await b.next(signal(SignalType.DeleteGroup));
    assert.equal((await bob.post('/group/app/group-pub-info', ref)).body.data.status, 2);
  });
});
