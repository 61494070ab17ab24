// Domain events of calls (members of DomainEvent in ../events.ts). Each says
// who it is for; the gateway pushes it to every online session of `audience`.

import type { Audience } from '../events.ts';
import type { Call, CallTicket, PartyState, StopReason } from './model.ts';

/** A call as parties and clients see it. */
export type CallView = Omit<Call, 'version'>;

export const callView = ({ version: _v, ...rest }: Call): CallView => rest;

/** Rings every invitee (and the caller's other devices). */
export interface CallStarted {
  type: 'call.started';
  appId: number;
  call: CallView;
  audience: Audience;
}

/**
 * To the caller only: an invitee answered. Carries the caller's own media
 * ticket (null when TRTC is not configured), which is why it is not sent to
 * the other parties.
 */
export interface CallAccepted {
  type: 'call.accepted';
  appId: number;
  call: CallView;
  userId: number;
  ticket: CallTicket | null;
  audience: Audience;
}

/** A party's state changed (answered, declined, busy, missed, left) and the call goes on. */
export interface CallUpdated {
  type: 'call.updated';
  appId: number;
  call: CallView;
  changes: { userId: number; state: PartyState }[];
  audience: Audience;
}

/** The call finished: busy, timeout, reject, hangup or cancel. `by` is null for a timeout. */
export interface CallStopped {
  type: 'call.stopped';
  appId: number;
  call: CallView;
  reason: StopReason;
  by: number | null;
  audience: Audience;
}

export type CallEvent = CallStarted | CallAccepted | CallUpdated | CallStopped;
