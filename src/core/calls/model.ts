// Calls as core sees them: one state machine for private and group calls.
//
//   ringing ──answer──► in_call ──last two become one──► finished(hangup)
//      │                                   
//      └─ cancel (caller) · reject/busy (every invitee) · timeout ──► finished
//
// Each party has its own state; the call's status follows from them.

export const CallStatus = { ringing: 'ringing', inCall: 'in_call', finished: 'finished' } as const;
export type CallStatus = (typeof CallStatus)[keyof typeof CallStatus];

export const StopReason = { busy: 'busy', timeout: 'timeout', reject: 'reject', hangup: 'hangup', cancel: 'cancel' } as const;
export type StopReason = (typeof StopReason)[keyof typeof StopReason];

export const PartyState = {
  ringing: 'ringing',
  joined: 'joined',
  declined: 'declined',
  busy: 'busy',
  /** Did not answer before the deadline. */
  missed: 'missed',
  left: 'left',
} as const;
export type PartyState = (typeof PartyState)[keyof typeof PartyState];

export type Media = 'audio' | 'video';

export interface CallParty {
  userId: number;
  role: 'caller' | 'invitee';
  state: PartyState;
  updatedAt: number;
}

export interface Call {
  id: number;
  appId: number;
  callerId: number;
  /** null for a private call. */
  groupId: number | null;
  media: Media;
  status: CallStatus;
  stopReason: StopReason | null;
  /** The TRTC room (numeric, 1..2^31-1) every party enters. */
  roomId: number;
  createdAt: number;
  /** Ringing ends at this time (ms). */
  deadline: number;
  answeredAt: number | null;
  endedAt: number | null;
  /** Bumped by every change; saves are conditional on it (optimistic locking). */
  version: number;
  parties: CallParty[];
}

/** Media credentials for one party (TRTC). */
export interface CallTicket {
  sdkAppId: number;
  roomId: number;
  /** The TRTC user id the signatures are for: the user's handle. */
  trtcUserId: string;
  userSig: string;
  privateMapKey: string;
  /** Unix ms after which TRTC refuses the signatures. */
  expiresAt: number;
}

export const partiesOf = (c: Call): number[] => c.parties.map((p) => p.userId);
