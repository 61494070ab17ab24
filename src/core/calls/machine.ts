// The call state machine as pure functions: a call and an action in, the next
// call (version bumped) out, or an error saying why not. No I/O, no clock of
// its own: `now` is passed in, so every rule is testable by moving time.

import { fail } from '../errors.ts';
import type { Call, CallParty, PartyState, StopReason } from './model.ts';

export type CallAction =
  | { kind: 'answer'; userId: number }
  | { kind: 'reject'; userId: number }
  | { kind: 'busy'; userId: number }
  | { kind: 'hangup'; userId: number };

export interface Transition {
  call: Call;
  /** Parties whose state changed, for the events. */
  changed: { userId: number; state: PartyState }[];
  /** Set when this transition finished the call. */
  stopped?: { reason: StopReason; by: number | null };
}

const clone = (c: Call): Call => ({ ...c, parties: c.parties.map((p) => ({ ...p })) });

/**
 * Applies the deadline: invitees still ringing at or after it have missed the
 * call; a call nobody answered finishes with reason timeout. Returns undefined
 * when nothing changes.
 */
export function settleDeadline(call: Call, now: number): Transition | undefined {
  if (call.status === 'finished' || now < call.deadline) return undefined;
  const ringing = call.parties.filter((p) => p.role === 'invitee' && p.state === 'ringing');
  if (ringing.length === 0) return undefined;
  const next = clone(call);
  next.version += 1;
  const changed: Transition['changed'] = [];
  for (const p of next.parties) {
    if (p.role === 'invitee' && p.state === 'ringing') {
      p.state = 'missed';
      p.updatedAt = call.deadline;
      changed.push({ userId: p.userId, state: 'missed' });
    }
  }
  if (next.status === 'ringing') {
    finish(next, 'timeout', call.deadline);
    return { call: next, changed, stopped: { reason: 'timeout', by: null } };
  }
  // In a call already: the missed invitees may leave it with too few people.
  const stopped = endIfOver(next, now, null);
  return { call: next, changed, ...(stopped ? { stopped } : {}) };
}

export function applyAction(call: Call, action: CallAction, now: number): Transition {
  const party = call.parties.find((p) => p.userId === action.userId);
  if (!party) throw fail('not_call_party', 'only the caller and the invitees may act on this call');
  // Past the deadline an invitee's ring is over, however the call went on.
  if (action.kind === 'answer' && party.role === 'invitee' && (party.state === 'missed' || (party.state === 'ringing' && now >= call.deadline))) {
    throw fail('call_expired', 'the call stopped ringing before it was answered');
  }
  if (call.status === 'finished') throw fail('call_finished', `the call has finished (${call.stopReason})`, { reason: call.stopReason });
  const next = clone(call);
  next.version += 1;
  const me = next.parties.find((p) => p.userId === action.userId) as CallParty;
  const set = (state: PartyState) => {
    me.state = state;
    me.updatedAt = now;
    return [{ userId: me.userId, state }];
  };

  switch (action.kind) {
    case 'answer': {
      if (me.role === 'caller') throw fail('invalid_argument', 'the caller cannot answer their own call');
      if (me.state !== 'ringing') throw alreadyOut(me);
      const changed = set('joined');
      if (next.status === 'ringing') {
        next.status = 'in_call';
        next.answeredAt = now;
      }
      return { call: next, changed };
    }
    case 'busy': {
      if (me.role === 'caller' || me.state !== 'ringing') throw me.role === 'caller' ? fail('invalid_argument', 'the caller cannot reply busy') : alreadyOut(me);
      const changed = set('busy');
      const stopped = endIfOver(next, now, me.userId, 'busy');
      return { call: next, changed, ...(stopped ? { stopped } : {}) };
    }
    case 'reject':
    case 'hangup': {
      // One verb per person for "I am out": the caller ringing cancels the
      // call; an invitee ringing declines; someone in the call leaves it.
      if (me.role === 'caller' && next.status === 'ringing') {
        const changed = set('left');
        for (const p of next.parties) {
          if (p.state === 'ringing') {
            p.state = 'missed';
            p.updatedAt = now;
            changed.push({ userId: p.userId, state: 'missed' });
          }
        }
        finish(next, 'cancel', now);
        return { call: next, changed, stopped: { reason: 'cancel', by: me.userId } };
      }
      if (me.state === 'ringing') {
        const changed = set('declined');
        const stopped = endIfOver(next, now, me.userId, 'reject');
        return { call: next, changed, ...(stopped ? { stopped } : {}) };
      }
      if (me.state !== 'joined') throw alreadyOut(me);
      const changed = set('left');
      const stopped = endIfOver(next, now, me.userId, 'hangup');
      return { call: next, changed, ...(stopped ? { stopped } : {}) };
    }
  }
}

function alreadyOut(p: CallParty) {
  return fail('call_finished', `you are no longer in this call (${p.state})`, { state: p.state });
}

function finish(call: Call, reason: StopReason, at: number): void {
  call.status = 'finished';
  call.stopReason = reason;
  call.endedAt = at;
  for (const p of call.parties) {
    if (p.state === 'joined') {
      p.state = 'left';
      p.updatedAt = at;
    }
  }
}

/**
 * Finishes the call when it can no longer go on: while ringing, when no
 * invitee is still ringing (every one declined or was busy); in a call, when
 * fewer than two people remain and nobody is still being rung.
 */
function endIfOver(call: Call, now: number, by: number | null, reason?: StopReason): Transition['stopped'] {
  const ringing = call.parties.some((p) => p.role === 'invitee' && p.state === 'ringing');
  if (ringing) return undefined;
  if (call.status === 'ringing') {
    const r = reason ?? 'reject';
    finish(call, r, now);
    return { reason: r, by };
  }
  const joined = call.parties.filter((p) => p.state === 'joined').length;
  if (joined >= 2) return undefined;
  finish(call, 'hangup', now);
  return { reason: 'hangup', by };
}
