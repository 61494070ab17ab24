// Call signalling over HTTP, with the events checked where the other parties
// see them: on their WebSockets. Time moves on a manual clock.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { verifySig } from '../../../src/core/calls/tls-sig.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { client } from '../../support/http.ts';
import { makeUser } from '../../support/fixtures.ts';
import { online, type WsClient } from '../../support/ws.ts';

const TRTC = { trtcSdkAppId: 1400000000, trtcSecret: 'test-secret-key', trtcTicketTtl: 86400 };
// The gateway closes sockets idle on the (manual) clock; these tests move it
// by minutes while sockets listen, so the idle limit is set beyond that.
const QUIET_SOCKETS = { wsIdleTimeoutMs: 86_400_000 };
type User = Awaited<ReturnType<typeof makeUser>>;

describe('native calls (TRTC configured)', () => {
  let s: TestServer;
  const sockets: WsClient[] = [];
  before(async () => {
    s = await startTestServer({ manualClock: true, config: { ...TRTC, ...QUIET_SOCKETS } });
  });
  after(async () => {
    await Promise.all(sockets.map((w) => w.close()));
    await s.stop();
  });
  const ws = async (u: User) => {
    const w = await online(s.url, u.token);
    sockets.push(w);
    return w;
  };
  const event = async (w: WsClient, type: string) => {
    for (;;) {
      const f = await w.next('event');
      if (f.event.type === type) return f.event;
    }
  };
  const start = (caller: User, invitees: User[], extra: Record<string, unknown> = {}) => client(s.url, caller.token).post('/v1/calls', { invitees: invitees.map((u) => u.id), media: 'video', ...extra });
  const group = async (owner: User, members: User[]) => {
    const r = await client(s.url, owner.token).post('/v1/groups', { name: 'call group', memberIds: members.map((m) => m.id) });
    assert.equal(r.status, 201, r.text);
    return r.body.group.id as number;
  };
  const act = (u: User, id: number, verb: string) => client(s.url, u.token).post(`/v1/calls/${id}/${verb}`);

  test('private call: start rings the invitee, answer gives both sides tickets, hang-up stops it for both and records it', async () => {
    const a = await makeUser(s);
    const b = await makeUser(s);
    const [wa, wb] = [await ws(a), await ws(b)];
    const started = await start(a, [b]);
    assert.equal(started.status, 201, started.text);
    const call = started.body;
    assert.equal(call.status, 'ringing');
    assert.equal(call.media, 'video');
    assert.equal(call.groupId, null);
    assert.equal(call.deadline, s.clock!.now() + 60_000);
    assert.deepEqual(call.parties.map((p: { userId: number; state: string }) => [p.userId, p.state]), [[a.id, 'joined'], [b.id, 'ringing']]);
    const ring = await event(wb, 'call.started');
    assert.equal(ring.call.id, call.id);
    assert.equal(ring.audience, undefined, 'the audience is routing, not payload');

    s.clock!.advance(5_000);
    const answered = await act(b, call.id, 'answer');
    assert.equal(answered.status, 200, answered.text);
    assert.equal(answered.body.call.status, 'in_call');
    assert.equal(answered.body.mediaConfigured, true);
    const t = answered.body.ticket;
    assert.equal(t.sdkAppId, TRTC.trtcSdkAppId);
    assert.equal(t.roomId, call.roomId);
    assert.equal(t.trtcUserId, b.handle);
    const now = Math.floor(s.clock!.now() / 1000);
    assert.equal(verifySig(t.userSig, { sdkAppId: TRTC.trtcSdkAppId, key: TRTC.trtcSecret, identifier: b.handle, now }).ok, true);
    const pmk = verifySig(t.privateMapKey, { sdkAppId: TRTC.trtcSdkAppId, key: TRTC.trtcSecret, identifier: b.handle, now });
    assert.ok(pmk.ok);
    const userbuf = Buffer.from(pmk.doc['TLS.userbuf']!, 'base64');
    assert.equal(userbuf.readUInt32BE(userbuf.length - 16), call.roomId, 'the PrivateMapKey opens this call’s room');

    const accepted = await event(wa, 'call.accepted');
    assert.equal(accepted.userId, b.id);
    assert.equal(accepted.ticket.trtcUserId, a.handle, "the caller's own ticket");
    assert.equal(verifySig(accepted.ticket.userSig, { sdkAppId: TRTC.trtcSdkAppId, key: TRTC.trtcSecret, identifier: a.handle, now }).ok, true);
    assert.equal((await event(wb, 'call.updated')).changes[0].state, 'joined');

    s.clock!.advance(65_000);
    const fresh = await act(a, call.id, 'ticket');
    assert.equal(fresh.status, 200);
    assert.equal(fresh.body.trtcUserId, a.handle);

    const hung = await act(a, call.id, 'hangup');
    assert.equal(hung.status, 200);
    assert.equal(hung.body.status, 'finished');
    assert.equal(hung.body.stopReason, 'hangup');
    for (const w of [wa, wb]) {
      const stopped = await event(w, 'call.stopped');
      assert.equal(stopped.reason, 'hangup');
      assert.equal(stopped.by, a.id);
    }
    const history = await client(s.url, b.token).get(`/v1/users/${a.id}/messages`);
    const record = history.body.items.find((m: { type: string }) => m.type === 'call');
    assert.ok(record, 'a call record landed in the private conversation');
    assert.equal(record.senderId, a.id);
    assert.equal(record.body.callId, call.id);
    assert.equal(record.body.reason, 'hangup');
    assert.equal(record.body.durationMs, 65_000);
    assert.equal(record.body.answered, true);

    assert.equal((await act(b, call.id, 'hangup')).body.error.code, 'call_finished');
    assert.equal((await act(b, call.id, 'answer')).status, 409);
  });

  test('the invitee rejects, or replies busy; the caller is told why', async () => {
    const a = await makeUser(s);
    const b = await makeUser(s);
    const wa = await ws(a);
    const r1 = (await start(a, [b])).body;
    const rejected = await act(b, r1.id, 'reject');
    assert.equal(rejected.body.stopReason, 'reject');
    assert.equal(rejected.body.parties[1].state, 'declined');
    assert.equal((await event(wa, 'call.stopped')).reason, 'reject');

    const r2 = (await start(a, [b])).body;
    const busy = await act(b, r2.id, 'busy');
    assert.equal(busy.body.stopReason, 'busy');
    const stopped = await event(wa, 'call.stopped');
    assert.equal(stopped.reason, 'busy');
    assert.equal(stopped.by, b.id);
    assert.equal((await act(a, r2.id, 'busy')).status, 409, 'a finished call takes no more replies');
    const history = await client(s.url, a.token).get(`/v1/users/${b.id}/messages`);
    assert.deepEqual(history.body.items.filter((m: { type: string }) => m.type === 'call').map((m: { body: { reason: string } }) => m.body.reason).sort(), ['busy', 'reject']);
  });

  test('the caller cancels while ringing (hang-up or reject both cancel)', async () => {
    const a = await makeUser(s);
    const b = await makeUser(s);
    const wb = await ws(b);
    for (const verb of ['hangup', 'reject']) {
      const call = (await start(a, [b])).body;
      const r = await act(a, call.id, verb);
      assert.equal(r.body.stopReason, 'cancel');
      assert.equal(r.body.parties[1].state, 'missed');
      const stopped = await event(wb, 'call.stopped');
      assert.equal(stopped.reason, 'cancel');
      assert.equal(stopped.call.id, call.id);
    }
  });

  test('ring timeout: at the deadline the call stops with reason timeout and can no longer be answered', async () => {
    const a = await makeUser(s);
    const b = await makeUser(s);
    const call = (await start(a, [b])).body;
    s.clock!.advance(59_999);
    assert.equal((await client(s.url, a.token).get(`/v1/calls/${call.id}`)).body.status, 'ringing');
    s.clock!.advance(1);
    const seen = await client(s.url, b.token).get(`/v1/calls/${call.id}`);
    assert.equal(seen.body.status, 'finished');
    assert.equal(seen.body.stopReason, 'timeout');
    assert.equal(seen.body.endedAt, call.deadline);
    assert.equal(seen.body.parties[1].state, 'missed');
    const late = await act(b, call.id, 'answer');
    assert.equal(late.status, 410);
    assert.equal(late.body.error.code, 'call_expired');
  });

  test('ring timeout without anyone looking: the sweeper stops the call and tells both parties', async () => {
    const a = await makeUser(s);
    const b = await makeUser(s);
    const [wa, wb] = [await ws(a), await ws(b)];
    const call = (await start(a, [b], { media: 'audio' })).body;
    await event(wb, 'call.started');
    s.clock!.advance(60_000);
    await s.core.calls.sweep();
    for (const w of [wa, wb]) {
      const stopped = await event(w, 'call.stopped');
      assert.equal(stopped.call.id, call.id);
      assert.equal(stopped.reason, 'timeout');
      assert.equal(stopped.by, null);
    }
    assert.equal(await s.core.calls.sweep(), 0, 'nothing left to settle');
    const history = await client(s.url, a.token).get(`/v1/users/${b.id}/messages`);
    const record = history.body.items.find((m: { type: string; body: { callId: number } }) => m.type === 'call' && m.body.callId === call.id);
    assert.equal(record.body.reason, 'timeout');
    assert.equal(record.body.answered, false);
    assert.equal(record.body.durationMs, 0);
  });

  test('only the caller and the invitees may see or act on a call', async () => {
    const a = await makeUser(s);
    const b = await makeUser(s);
    const stranger = await makeUser(s);
    const call = (await start(a, [b])).body;
    for (const verb of ['answer', 'reject', 'busy', 'hangup', 'ticket']) {
      const r = await act(stranger, call.id, verb);
      assert.equal(r.status, 403, verb);
      assert.equal(r.body.error.code, 'not_call_party');
    }
    assert.equal((await client(s.url, stranger.token).get(`/v1/calls/${call.id}`)).status, 403);
    assert.equal((await client(s.url, a.token).get('/v1/calls/123456789')).status, 404);
    assert.equal((await act(a, call.id, 'answer')).status, 400, 'the caller cannot answer');
    assert.equal((await act(a, call.id, 'ticket')).status, 200, 'the caller is in the call from the start');
    assert.equal((await act(b, call.id, 'ticket')).status, 409, 'an invitee gets a ticket by answering');
  });

  test('group call: several invitees; one declines, one answers, one misses; the call ends when too few remain', async () => {
    const [a, b, c, d] = [await makeUser(s), await makeUser(s), await makeUser(s), await makeUser(s)];
    const [wa, wd] = [await ws(a), await ws(d)];
    const groupId = await group(a, [b, c, d]);
    const call = (await start(a, [b, c, d], { groupId })).body;
    assert.equal(call.groupId, groupId);
    assert.equal(call.parties.length, 4);
    assert.equal((await event(wd, 'call.started')).call.id, call.id);

    const declined = await act(b, call.id, 'reject');
    assert.equal(declined.body.status, 'ringing', 'others are still being rung');
    const upd = await event(wa, 'call.updated');
    assert.deepEqual(upd.changes, [{ userId: b.id, state: 'declined' }]);

    const answered = await act(c, call.id, 'answer');
    assert.equal(answered.body.call.status, 'in_call');
    assert.equal((await event(wa, 'call.accepted')).userId, c.id);

    s.clock!.advance(60_000);
    const later = await client(s.url, a.token).get(`/v1/calls/${call.id}`);
    assert.equal(later.body.status, 'in_call', 'a missed invitee does not end a call in progress');
    assert.equal(later.body.parties.find((p: { userId: number }) => p.userId === d.id).state, 'missed');
    assert.equal((await act(d, call.id, 'answer')).body.error.code, 'call_expired');

    const left = await act(c, call.id, 'hangup');
    assert.equal(left.body.status, 'finished');
    assert.equal(left.body.stopReason, 'hangup');
    const stopped = await event(wd, 'call.stopped');
    assert.equal(stopped.reason, 'hangup');
    const history = await client(s.url, d.token).get(`/v1/groups/${groupId}/messages`);
    const record = history.body.items.find((m: { type: string }) => m.type === 'call');
    assert.ok(record, 'the call record landed in the group conversation');
    assert.equal(record.senderId, a.id);
    assert.deepEqual([...record.body.invitees].sort(), [b.id, c.id, d.id].sort());
    assert.equal(record.body.answered, true);
  });

  test('a group call rings members only: a non-member caller or invitee is refused', async () => {
    const [a, b, outsider] = [await makeUser(s), await makeUser(s), await makeUser(s)];
    const groupId = await group(a, [b]);
    const withOutsider = await start(a, [b, outsider], { groupId });
    assert.equal(withOutsider.status, 403);
    assert.equal(withOutsider.body.error.code, 'not_group_member');
    assert.equal((await start(outsider, [a, b], { groupId })).body.error.code, 'not_group_member');
    assert.equal((await start(a, [b], { groupId: 987654321 })).status, 404);
    assert.equal((await start(a, [b], { groupId })).status, 201);
    assert.equal((await client(s.url, a.token).delete(`/v1/groups/${groupId}`)).status, 200);
    assert.equal((await start(a, [b], { groupId })).body.error.code, 'group_dismissed');
  });

  test('a group call in which everyone declines or is busy stops; the last reply names the reason', async () => {
    const [a, b, c] = [await makeUser(s), await makeUser(s), await makeUser(s)];
    const call = (await start(a, [b, c], { groupId: await group(a, [b, c]) })).body;
    assert.equal((await act(b, call.id, 'busy')).body.status, 'ringing');
    const last = await act(c, call.id, 'reject');
    assert.equal(last.body.status, 'finished');
    assert.equal(last.body.stopReason, 'reject');
  });

  test('racing answer and cancel settle once: one outcome, one call.stopped', async () => {
    for (let round = 0; round < 5; round++) {
      const a = await makeUser(s);
      const b = await makeUser(s);
      const call = (await start(a, [b])).body;
      const stops: string[] = [];
      const off = s.core.events.on((e) => {
        if (e.type === 'call.stopped' && e.call.id === call.id) stops.push(e.reason);
      });
      const [answer, cancel] = await Promise.all([act(b, call.id, 'answer'), act(a, call.id, 'hangup')]);
      off();
      const final = (await client(s.url, a.token).get(`/v1/calls/${call.id}`)).body;
      assert.equal(final.status, 'finished');
      assert.equal(cancel.status, 200);
      assert.equal(stops.length, 1, `exactly one stop, got ${stops.join(',')}`);
      if (answer.status === 200) {
        assert.equal(final.stopReason, 'hangup', 'answered first, then the caller left');
        assert.notEqual(final.answeredAt, null);
      } else {
        assert.equal(answer.status, 409);
        assert.equal(final.stopReason, 'cancel');
        assert.equal(final.answeredAt, null);
      }
    }
  });

  test('many invitees replying at once all get an answer: colliding changes retry with backoff, none is refused as too fast', async () => {
    const caller = await makeUser(s);
    const invitees: User[] = [];
    for (let i = 0; i < 12; i++) invitees.push(await makeUser(s));
    const call = (await start(caller, invitees, { groupId: await group(caller, invitees) })).body;
    // Everyone but the last declines at the same moment; the last answers after them.
    const replies = await Promise.all(invitees.slice(0, -1).map((u) => act(u, call.id, 'reject')));
    for (const r of replies) assert.equal(r.status, 200, r.text);
    const final = (await client(s.url, caller.token).get(`/v1/calls/${call.id}`)).body;
    const declined = final.parties.filter((p: { state: string }) => p.state === 'declined').map((p: { userId: number }) => p.userId);
    assert.deepEqual(declined.sort(), invitees.slice(0, -1).map((u) => u.id).sort(), 'every reply was saved');
    assert.equal(final.status, 'ringing', 'one invitee is still rung');
  });

  test('bad starts: no invitees, oneself, unknown users, two invitees without a group, admin tokens', async () => {
    const a = await makeUser(s);
    const b = await makeUser(s);
    const c = await makeUser(s);
    const post = (body: unknown, token = a.token) => client(s.url, token).post('/v1/calls', body);
    assert.equal((await post({ invitees: [] })).status, 400);
    assert.equal((await post({ invitees: [a.id] })).body.error.code, 'cannot_act_on_self');
    assert.equal((await post({ invitees: [987654321] })).status, 404);
    assert.equal((await post({ invitees: [b.id, c.id] })).status, 400);
    assert.equal((await post({ invitees: [b.id], media: 'hologram' })).status, 400);
    assert.equal((await post({ invitees: [b.id] }, s.adminToken)).status, 403);
    const ok = await post({ invitees: [b.id, b.id] });
    assert.equal(ok.status, 201, 'a repeated invitee counts once');
    assert.equal(ok.body.media, 'audio', 'audio by default');
    assert.equal(ok.body.parties.length, 2);
  });
});

describe('native calls (no TRTC configured)', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ manualClock: true, config: { callRingTimeout: 30, ...QUIET_SOCKETS } });
  });
  after(() => s.stop());

  test('calls still signal; answering says media is not configured; tickets are 503', async () => {
    const a = await makeUser(s);
    const b = await makeUser(s);
    const wa = await online(s.url, a.token);
    const call = (await client(s.url, a.token).post('/v1/calls', { invitees: [b.id] })).body;
    assert.equal(call.deadline - call.createdAt, 30_000, 'the ring timeout setting applies');
    const answered = await client(s.url, b.token).post(`/v1/calls/${call.id}/answer`);
    assert.equal(answered.status, 200);
    assert.equal(answered.body.call.status, 'in_call');
    assert.equal(answered.body.ticket, null);
    assert.equal(answered.body.mediaConfigured, false);
    for (;;) {
      const f = await wa.next('event');
      if (f.event.type !== 'call.accepted') continue;
      assert.equal(f.event.ticket, null);
      break;
    }
    const t = await client(s.url, b.token).post(`/v1/calls/${call.id}/ticket`);
    assert.equal(t.status, 503);
    assert.equal(t.body.error.code, 'media_not_configured');
    await wa.close();
  });
});
