// Calls as a service (src/core/calls/calls.ts) on a real store and a manual
// clock: the ring deadline applied by sweep() exactly at the deadline, one
// stop and one call record however many times it is applied, and racing
// actions settled by the call's version.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { codeOf, startTestCore, type TestCore } from '../../support/core.ts';

describe('calls', () => {
  let t: TestCore;
  before(async () => {
    t = await startTestCore({ settings: { calls: { ringTimeoutSeconds: 30, trtc: null } } });
  });
  after(() => t.close());

  const records = async (a: number, b: number) => (await t.core.messages.history(t.appId, a, { userId: b }, { limit: 50 })).items.filter((m) => m.type === 'call');
  const stops = (callId: number) => t.events.filter((e) => e.type === 'call.stopped' && e.call.id === callId);

  test('sweep: nothing a millisecond before the deadline; at it, one timeout and one record, idempotent', async () => {
    const [a, b] = await t.users(2);
    const call = await t.core.calls.start(t.appId, a, { invitees: [b], media: 'audio' });
    t.clock.advance(30_000 - 1);
    assert.equal(await t.core.calls.sweep(), 0);
    assert.equal((await t.core.calls.get(t.appId, b, call.id)).status, 'ringing');
    t.clock.advance(1);
    assert.equal(await t.core.calls.sweep(), 1);
    const done = await t.core.calls.get(t.appId, a, call.id);
    assert.deepEqual([done.status, done.stopReason], ['finished', 'timeout']);
    assert.equal(await t.core.calls.sweep(), 0);
    assert.equal(await codeOf(t.core.calls.answer(t.appId, b, call.id)), 'call_expired');
    assert.equal(stops(call.id).length, 1);
    const recs = await records(a, b);
    assert.deepEqual(recs.map((m) => [m.body.callId, m.body.reason]), [[call.id, 'timeout']]);
    assert.deepEqual(t.failures, []);
  });

  test('the deadline is applied on access too, without a sweep', async () => {
    const [a, b] = await t.users(2);
    const call = await t.core.calls.start(t.appId, a, { invitees: [b], media: 'video' });
    t.clock.advance(30_000);
    assert.equal((await t.core.calls.get(t.appId, b, call.id)).stopReason, 'timeout');
    assert.equal(stops(call.id).length, 1);
  });

  test('an answer and a cancel racing: one wins, the call finishes once with one record', async () => {
    const [a, b] = await t.users(2);
    const call = await t.core.calls.start(t.appId, a, { invitees: [b], media: 'audio' });
    const [answered, cancelled] = await Promise.all([codeOf(t.core.calls.answer(t.appId, b, call.id)), codeOf(t.core.calls.hangup(t.appId, a, call.id))]);
    assert.equal(cancelled, 'ok');
    assert.ok(answered === 'ok' || answered === 'call_finished', answered);
    const done = await t.core.calls.get(t.appId, a, call.id);
    assert.equal(done.status, 'finished');
    // Answered first: the caller's hang-up left one person, a hangup; cancelled first: a cancel.
    assert.equal(done.stopReason, answered === 'ok' ? 'hangup' : 'cancel');
    assert.equal(stops(call.id).length, 1);
    assert.equal((await records(a, b)).length, 1);
  });

  test('only the parties see or act on a call', async () => {
    const [a, b, stranger] = await t.users(3);
    const call = await t.core.calls.start(t.appId, a, { invitees: [b], media: 'audio' });
    assert.equal(await codeOf(t.core.calls.get(t.appId, stranger, call.id)), 'not_call_party');
    assert.equal(await codeOf(t.core.calls.hangup(t.appId, stranger, call.id)), 'not_call_party');
    assert.equal(await codeOf(t.core.calls.get(t.appId, a, 987654321)), 'call_not_found');
  });
});
