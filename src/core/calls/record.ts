// The record of a finished call, written into its conversation as a message
// from the caller (as chat apps show "Video call · 3:12" or "Missed call"):
// the group's conversation for a group call, else the private chat with the
// invitee. Type `x-call` (a free-JSON type of the messages core); the client
// id `call:<id>` makes a repeated write a no-op.

import type { Messages } from '../messages/messages.ts';
import type { CallRecorder } from './calls.ts';
import type { CallView } from './events.ts';

export const CALL_RECORD_TYPE = 'x-call';

export interface CallRecordBody {
  callId: number;
  media: CallView['media'];
  reason: CallView['stopReason'];
  /** 0 when nobody answered. */
  durationMs: number;
  callerId: number;
  invitees: number[];
  /** Whether anybody answered. */
  answered: boolean;
  startedAt: number;
  endedAt: number | null;
}

export function callRecordBody(call: CallView): CallRecordBody {
  const invitees = call.parties.filter((p) => p.role === 'invitee');
  return {
    callId: call.id,
    media: call.media,
    reason: call.stopReason,
    durationMs: call.answeredAt !== null && call.endedAt !== null ? call.endedAt - call.answeredAt : 0,
    callerId: call.callerId,
    invitees: invitees.map((p) => p.userId),
    answered: call.answeredAt !== null,
    startedAt: call.createdAt,
    endedAt: call.endedAt,
  };
}

export function callRecordWriter(messages: Messages): CallRecorder {
  return async (call) => {
    const target = call.groupId !== null ? { groupId: call.groupId } : { userId: call.parties.find((p) => p.role === 'invitee')!.userId };
    await messages.send(call.appId, call.callerId, target, { type: CALL_RECORD_TYPE, body: { ...callRecordBody(call) }, clientId: `call:${call.id}` });
  };
}
