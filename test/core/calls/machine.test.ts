// The call state machine (src/core/calls/machine.ts) as pure functions: a call
// and an action in, the next call out. Time is a number passed in, so the
// deadline rules are tested without a clock at all.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyAction, settleDeadline } from '../../../src/core/calls/machine.ts';
import type { Call } from '../../../src/core/calls/model.ts';
import { isParleyError } from '../../../src/core/errors.ts';

const T0 = 1_000_000;
const RING = 60_000;

function ringing(invitees: number[] = [2], caller = 1): Call {
  return {
    id: 10,
    appId: 1,
    callerId: caller,
    groupId: invitees.length > 1 ? 99 : null,
    media: 'audio',
    status: 'ringing',
    stopReason: null,
    roomId: 7,
    createdAt: T0,
    deadline: T0 + RING,
    answeredAt: null,
    endedAt: null,
    version: 1,
    parties: [{ userId: caller, role: 'caller', state: 'joined', updatedAt: T0 }, ...invitees.map((userId) => ({ userId, role: 'invitee' as const, state: 'ringing' as const, updatedAt: T0 }))],
  };
}

const states = (c: Call) => Object.fromEntries(c.parties.map((p) => [p.userId, p.state]));
const code = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    if (isParleyError(e)) return e.code;
    throw e;
  }
  return 'no error';
};

test('answer moves a ringing call into the call, stamps answeredAt, and bumps the version', () => {
  const t = applyAction(ringing(), { kind: 'answer', userId: 2 }, T0 + 5);
  assert.deepEqual([t.call.status, t.call.answeredAt, t.call.version, t.stopped], ['in_call', T0 + 5, 2, undefined]);
  assert.deepEqual(t.changed, [{ userId: 2, state: 'joined' }]);
  assert.deepEqual(states(t.call), { 1: 'joined', 2: 'joined' });
});

test('the input call is never modified', () => {
  const c = ringing();
  const before = structuredClone(c);
  applyAction(c, { kind: 'answer', userId: 2 }, T0 + 5);
  assert.deepEqual(c, before);
});

test('the caller ringing cancels: every ringing invitee missed, reason cancel', () => {
  const t = applyAction(ringing([2, 3]), { kind: 'hangup', userId: 1 }, T0 + 5);
  assert.deepEqual([t.call.status, t.call.stopReason, t.call.endedAt], ['finished', 'cancel', T0 + 5]);
  assert.deepEqual(t.stopped, { reason: 'cancel', by: 1 });
  assert.deepEqual(states(t.call), { 1: 'left', 2: 'missed', 3: 'missed' });
});

test('a private call: the invitee rejects or is busy, and the call ends with that reason', () => {
  const rejected = applyAction(ringing(), { kind: 'reject', userId: 2 }, T0 + 5);
  assert.deepEqual([rejected.call.status, rejected.stopped], ['finished', { reason: 'reject', by: 2 }]);
  const busy = applyAction(ringing(), { kind: 'busy', userId: 2 }, T0 + 5);
  assert.deepEqual([busy.call.status, busy.stopped, states(busy.call)[2]], ['finished', { reason: 'busy', by: 2 }, 'busy']);
});

test('a group call keeps ringing while any invitee still rings; the last refusal ends it', () => {
  const one = applyAction(ringing([2, 3]), { kind: 'reject', userId: 2 }, T0 + 5);
  assert.deepEqual([one.call.status, one.stopped], ['ringing', undefined]);
  const two = applyAction(one.call, { kind: 'busy', userId: 3 }, T0 + 6);
  assert.deepEqual([two.call.status, two.call.stopReason], ['finished', 'busy']);
});

test('in a call, leaving ends it only when fewer than two remain', () => {
  let c = applyAction(ringing([2, 3]), { kind: 'answer', userId: 2 }, T0 + 1).call;
  c = applyAction(c, { kind: 'answer', userId: 3 }, T0 + 2).call;
  const first = applyAction(c, { kind: 'hangup', userId: 1 }, T0 + 3);
  assert.deepEqual([first.call.status, first.stopped], ['in_call', undefined]);
  const second = applyAction(first.call, { kind: 'hangup', userId: 2 }, T0 + 4);
  assert.deepEqual([second.call.status, second.call.stopReason, second.stopped], ['finished', 'hangup', { reason: 'hangup', by: 2 }]);
  assert.deepEqual(states(second.call), { 1: 'left', 2: 'left', 3: 'left' });
});

test('the deadline: nothing before it; at it, ringing invitees miss and an unanswered call times out', () => {
  assert.equal(settleDeadline(ringing(), T0 + RING - 1), undefined);
  const t = settleDeadline(ringing([2, 3]), T0 + RING);
  assert.ok(t);
  assert.deepEqual([t.call.status, t.call.stopReason, t.call.endedAt, t.stopped], ['finished', 'timeout', T0 + RING, { reason: 'timeout', by: null }]);
  assert.deepEqual(states(t.call), { 1: 'left', 2: 'missed', 3: 'missed' });
  assert.equal(settleDeadline(t.call, T0 + RING * 2), undefined, 'a finished call does not change again');
});

test('the deadline in a call: the missed leave; the call goes on while two are in it', () => {
  const answered = applyAction(ringing([2, 3]), { kind: 'answer', userId: 2 }, T0 + 1).call;
  const t = settleDeadline(answered, T0 + RING);
  assert.ok(t);
  assert.deepEqual([t.call.status, t.stopped, t.changed], ['in_call', undefined, [{ userId: 3, state: 'missed' }]]);
});

test('refusals: strangers, the caller answering, answering late, acting after the end', () => {
  assert.equal(code(() => applyAction(ringing(), { kind: 'answer', userId: 9 }, T0)), 'not_call_party');
  assert.equal(code(() => applyAction(ringing(), { kind: 'answer', userId: 1 }, T0)), 'invalid_argument');
  assert.equal(code(() => applyAction(ringing(), { kind: 'busy', userId: 1 }, T0)), 'invalid_argument');
  assert.equal(code(() => applyAction(ringing(), { kind: 'answer', userId: 2 }, T0 + RING)), 'call_expired');
  const ended = applyAction(ringing(), { kind: 'reject', userId: 2 }, T0 + 1).call;
  assert.equal(code(() => applyAction(ended, { kind: 'hangup', userId: 1 }, T0 + 2)), 'call_finished');
  const cancelled = applyAction(ringing(), { kind: 'hangup', userId: 1 }, T0 + 1).call;
  assert.equal(code(() => applyAction(cancelled, { kind: 'answer', userId: 2 }, T0 + 2)), 'call_finished', 'cancelled before the deadline is finished, not expired');
  const inCall = applyAction(ringing([2, 3]), { kind: 'answer', userId: 2 }, T0 + 1).call;
  assert.equal(code(() => applyAction(inCall, { kind: 'answer', userId: 2 }, T0 + 2)), 'call_finished', 'answering twice');
});
