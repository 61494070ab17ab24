// Periodic work on the real clock: ending calls that rang past their deadline
// (clients also see it applied on every access), removing abandoned uploads,
// and looking for token revocations made by other processes (the CLI on the
// embedded setup; see src/core/auth/revocation-watch.ts). All are idempotent,
// so every node of a cluster may run them.

import type { ReportBackgroundFailure } from './core/background.ts';
import type { Core } from './core/core.ts';

const CALL_SWEEP_MS = 1_000;
const UPLOAD_CLEANUP_MS = 10 * 60_000;
const REVOCATION_WATCH_MS = 1_000;

/** A failed run is reported (logged and counted, task `housekeeping`); the next run tries again. */
export function startHousekeeping(core: Core, report: ReportBackgroundFailure): () => void {
  const guard = (name: string, job: () => Promise<unknown>) => {
    let running = false;
    return async () => {
      if (running) return;
      running = true;
      try {
        await job();
      } catch (err) {
        report({ task: 'housekeeping', subject: { job: name }, error: err });
      } finally {
        running = false;
      }
    };
  };
  const timers = [
    setInterval(guard('calls', () => core.calls.sweep()), CALL_SWEEP_MS),
    setInterval(guard('uploads', () => core.uploads.cleanup()), UPLOAD_CLEANUP_MS),
    setInterval(guard('revocations', () => core.tokens.catchUpRevocations()), REVOCATION_WATCH_MS),
  ];
  for (const t of timers) t.unref();
  return () => timers.forEach(clearInterval);
}
