// Some work core does after its caller already has the answer: a finished
// call's record. Nobody awaits it, so a failure
// has nobody to be thrown to; it is reported here instead. Core does no I/O of
// its own and has no logger: the composition root decides what a report
// becomes (a log line and a metric in src/server.ts, stderr in the CLI).

export type BackgroundTask = 'call_record';

export interface BackgroundFailure {
  task: BackgroundTask;
  appId: number;
  /** Which work failed, by id (callId). */
  subject: Readonly<Record<string, string | number>>;
  error: unknown;
}

/** Must not throw: it is called from catch blocks and event listeners. */
export type ReportBackgroundFailure = (failure: BackgroundFailure) => void;
