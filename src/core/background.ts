// Failures nobody can be told about: work core does after its caller already
// has the answer (a finished call's record), a subscriber of committed events
// that throws, a bus notification the broker did not take, a socket that
// broke. Nobody awaits them, so a failure has nobody to be thrown to; it is
// reported here instead. Core does no I/O of its own and has no logger: the
// composition root decides what a report becomes (a log line and a count on
// /metrics in src/server.ts, stderr in the CLI).

export type BackgroundTask =
  /** A finished call's record message (core/calls). */
  | 'call_record'
  /** A subscriber of core's events threw (core/events.ts). */
  | 'event_listener'
  /** A notification was not taken by the broker: other processes (and this one's sockets) miss it. */
  | 'bus_publish'
  /** The broker connection failed; the client reconnects by itself. */
  | 'bus_connection'
  /** A bus subscriber or interruption listener threw. */
  | 'bus_handler'
  /** A WebSocket errored (usually a broken or misbehaving peer); the socket is closed. */
  | 'websocket'
  /** The gateway failed a session for a reason not the client's (a send, a subscription, a catch-up). */
  | 'gateway'
  /** A periodic job (call sweep, upload cleanup) failed; the next run tries again. */
  | 'housekeeping'
  /** The webhook worker could not lease or settle a delivery (src/core/webhooks/delivery.ts); the lease lapses and it is tried again. */
  | 'webhook_delivery';

export interface BackgroundFailure {
  task: BackgroundTask;
  /** The app concerned, when the work belongs to one. */
  appId?: number;
  /** Which work failed, by id or name (callId, event type, topic). */
  subject: Readonly<Record<string, string | number>>;
  error: unknown;
}

/** Must not throw: it is called from catch blocks and event listeners. */
export type ReportBackgroundFailure = (failure: BackgroundFailure) => void;

/**
 * Failures that are part of normal life on a network (a peer that vanished, a
 * broker restarting) are warnings; the rest mean lost work and are errors.
 */
export const expectedFailures: ReadonlySet<BackgroundTask> = new Set(['websocket', 'bus_connection']);
