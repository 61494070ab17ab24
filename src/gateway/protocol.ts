// The WebSocket protocol's vocabulary: client frames (validated here, once),
// server frames, and the close codes with what a client should do about each.
// docs/websocket.md is the prose version of this file; keep them together.

import type { ErrorCode } from '../core/errors.ts';
import { parseId } from '../core/ids.ts';

/**
 * Close codes. `reconnect` tells a client whether connecting again (with its
 * positions, to resume) can help; `false` means fix the cause first (a new
 * token, a client bug).
 */
export const CloseCode = {
  /** The server is stopping (deploy, scale-in): reconnect at once, to any node, and resume. */
  goingAway: { code: 1001, reconnect: true, reason: 'server going away, resume' },
  /** A frame larger than PARLEY_WS_MAX_FRAME (sent by ws itself). */
  tooLarge: { code: 1009, reconnect: false, reason: 'frame too large' },
  /** An unexpected server fault: reconnect with backoff and resume. */
  internal: { code: 1011, reconnect: true, reason: 'internal error, resume' },
  /** No token, an unknown token or an expired one: get a new token first. */
  unauthenticated: { code: 4001, reconnect: false, reason: 'unauthenticated' },
  /** The token expired while connected (same code as a refused expired token): get a new token first. */
  tokenExpired: { code: 4001, reconnect: false, reason: 'the token has expired' },
  /** The token was revoked while connected (logout, admin action). */
  tokenRevoked: { code: 4002, reconnect: false, reason: 'token revoked' },
  /** An app-admin token: the gateway serves users. */
  forbidden: { code: 4003, reconnect: false, reason: 'a user token is required' },
  /** Nothing received for PARLEY_WS_IDLE_TIMEOUT_MS (no hello, no ping). */
  idleTimeout: { code: 4004, reconnect: true, reason: 'idle timeout' },
  /** A frame that is not JSON or not a known frame, or hello sent twice. */
  protocolError: { code: 4005, reconnect: false, reason: 'protocol error' },
  /** The client could not keep up (its write queue passed PARLEY_WS_QUEUE_BYTES): reconnect and resume. */
  slowConsumer: { code: 4008, reconnect: true, reason: 'slow consumer, resume' },
  /** The server could not guarantee continuity (it lost its bus while catching up): reconnect and resume. */
  resumeRequired: { code: 4009, reconnect: true, reason: 'resume required' },
} as const;
export type CloseReason = (typeof CloseCode)[keyof typeof CloseCode];

/** Error codes carried by `error` frames: core's codes plus the gateway's own. */
export type FrameErrorCode = ErrorCode | 'bad_frame' | 'hello_required' | 'too_many_in_flight' | 'internal';

// ---- client → server ----------------------------------------------------

export interface HelloFrame {
  type: 'hello';
  /** Last seq the client holds per conversation; the server replays what follows. */
  positions?: Record<string, number>;
}
export interface SendFrame {
  type: 'send';
  /** Echoed in the ack or error, to match replies to sends (1-64 chars). */
  ref: string;
  /** The same body as the native HTTP send (with its clientMsgId for idempotency). */
  message: Record<string, unknown>;
}
export interface PingFrame {
  type: 'ping';
  /** Anything; echoed in the pong. */
  data?: unknown;
}
/**
 * "I am typing in this conversation" (or stopped: active false). Ephemeral:
 * no answer unless it is refused (an error frame, with `ref` if given); a
 * start closer than PARLEY_TYPING_INTERVAL_MS to the previous one for the same
 * conversation is coalesced (dropped silently).
 */
export interface TypingFrame {
  type: 'typing';
  /** Exactly one of groupId (a group) or userId (a private conversation with that user). */
  groupId?: number;
  userId?: number;
  active: boolean;
  ref?: string;
}
export type ClientFrame = HelloFrame | SendFrame | PingFrame | TypingFrame;

export type ParsedFrame = { ok: true; frame: ClientFrame } | { ok: false; error: string; ref?: string };

const MAX_POSITIONS = 10_000;
const CONVERSATION = /^[a-z0-9:_-]{1,64}$/i;

/** Validates one client frame; never throws. */
export function parseClientFrame(text: string): ParsedFrame {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { ok: false, error: 'a frame must be a JSON object' };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { ok: false, error: 'a frame must be a JSON object' };
  const f = v as Record<string, unknown>;
  switch (f.type) {
    case 'ping':
      return { ok: true, frame: { type: 'ping', ...(f.data !== undefined ? { data: f.data } : {}) } };
    case 'hello': {
      if (f.positions === undefined) return { ok: true, frame: { type: 'hello' } };
      if (typeof f.positions !== 'object' || f.positions === null || Array.isArray(f.positions)) return { ok: false, error: 'hello.positions must be an object of conversation → seq' };
      const entries = Object.entries(f.positions as Record<string, unknown>);
      if (entries.length > MAX_POSITIONS) return { ok: false, error: `hello.positions holds at most ${MAX_POSITIONS} conversations` };
      const positions: Record<string, number> = {};
      for (const [c, s] of entries) {
        if (!CONVERSATION.test(c)) return { ok: false, error: `hello.positions: "${c.slice(0, 70)}" is not a conversation` };
        if (typeof s !== 'number' || !Number.isSafeInteger(s) || s < 0) return { ok: false, error: `hello.positions.${c} must be a seq (integer ≥ 0)` };
        positions[c] = s;
      }
      return { ok: true, frame: { type: 'hello', positions } };
    }
    case 'send': {
      const ref = typeof f.ref === 'string' && f.ref.length >= 1 && f.ref.length <= 64 ? f.ref : undefined;
      if (!ref) return { ok: false, error: 'send.ref must be a string of 1-64 characters' };
      if (typeof f.message !== 'object' || f.message === null || Array.isArray(f.message)) return { ok: false, error: 'send.message must be an object', ref };
      return { ok: true, frame: { type: 'send', ref, message: f.message as Record<string, unknown> } };
    }
    case 'typing':
      return typingFrame(f);
    default:
      return { ok: false, error: `unknown frame type ${JSON.stringify(f.type)?.slice(0, 40)}` };
  }
}

function typingFrame(f: Record<string, unknown>): ParsedFrame {
  if (f.ref !== undefined && (typeof f.ref !== 'string' || f.ref.length < 1 || f.ref.length > 64)) return { ok: false, error: 'typing.ref must be a string of 1-64 characters' };
  const ref = f.ref as string | undefined;
  const bad = (error: string): ParsedFrame => ({ ok: false, error, ...(ref !== undefined ? { ref } : {}) });
  const groupId = f.groupId === undefined ? undefined : parseId(f.groupId);
  const userId = f.userId === undefined ? undefined : parseId(f.userId);
  if ((f.groupId !== undefined && groupId === undefined) || (f.userId !== undefined && userId === undefined) || (groupId === undefined) === (userId === undefined)) {
    return bad('typing needs exactly one of groupId or userId (an id)');
  }
  if (f.active !== undefined && typeof f.active !== 'boolean') return bad('typing.active must be true or false');
  return { ok: true, frame: { type: 'typing', ...(groupId !== undefined ? { groupId } : { userId: userId! }), active: f.active !== false, ...(ref !== undefined ? { ref } : {}) } };
}

// ---- server → client ----------------------------------------------------

export const frame = {
  welcome: (w: { sessionId: string; userId: number; heartbeatMs: number; idleTimeoutMs: number; maxFrameBytes: number }) => JSON.stringify({ type: 'welcome', ...w }),
  ready: (positions: Record<string, number>) => JSON.stringify({ type: 'ready', positions }),
  pong: (data: unknown) => JSON.stringify(data === undefined ? { type: 'pong' } : { type: 'pong', data }),
  ack: (ref: string, message: unknown) => JSON.stringify({ type: 'ack', ref, message }),
  error: (code: FrameErrorCode, message: string, ref?: string, details?: Record<string, unknown>) =>
    JSON.stringify({ type: 'error', ...(ref !== undefined ? { ref } : {}), code, message, ...(details ? { details } : {}) }),
  /** Messages after `after` up to (not including) `before`, or onwards when `before` is absent, will not be sent here. */
  gap: (conversation: string, after: number, reason: string, before?: number) =>
    JSON.stringify({ type: 'gap', conversation, after, ...(before !== undefined ? { before } : {}), reason }),
  message: (conversation: string, seq: number, message: unknown) => JSON.stringify({ type: 'message', conversation, seq, message }),
  event: (event: unknown) => JSON.stringify({ type: 'event', event }),
};
