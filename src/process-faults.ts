// What the server process does with an error nothing caught: an exception
// thrown from a callback or timer (`uncaughtException`) or a promise rejected
// with nobody listening (`unhandledRejection`). Either means some piece of
// work stopped half way with its invariants unknown (a session's bookkeeping,
// a lock, a stream), so carrying on risks serving from corrupt state. The
// policy: log it at fatal level with its origin, count it, flush the log,
// and exit with EXIT_CODE for the supervisor (systemd, Kubernetes, Docker) to
// restart a clean process. Nothing acknowledged is lost: every acknowledged
// write is committed before its answer, and clients resume.

import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';

/** EX_SOFTWARE from sysexits.h: an internal error, told apart from a bad setting (2) or a failed command (1). */
export const FAULT_EXIT_CODE = 70;
/** Longest wait for the log to flush before exiting anyway. */
const FLUSH_TIMEOUT_MS = 1000;

/** The uncaught kinds, and faults the server reports itself because carrying on would be unsafe. */
export type FaultOrigin = 'uncaughtException' | 'unhandledRejection' | 'nodeIdLeaseLost';

export interface FaultPolicyDeps {
  logger: Logger;
  /** Where the fault counter is registered (the server's /metrics registry). */
  registry?: Registry;
  /** Ends the process; tests pass a recorder. */
  exit?: (code: number) => void;
}

/** The handler for one fault: log, count, flush, exit. Exits once however many faults follow. */
export function faultHandler(deps: FaultPolicyDeps): (error: unknown, origin: FaultOrigin) => void {
  const exit = deps.exit ?? ((code: number) => process.exit(code));
  const faults = new Counter({
    name: 'parley_process_faults_total',
    help: 'Errors nothing caught (uncaughtException, unhandledRejection); each ends the process',
    labelNames: ['origin'],
    registers: deps.registry ? [deps.registry] : [],
  });
  let exiting = false;
  return (error, origin) => {
    faults.inc({ origin });
    const err = error instanceof Error ? error : new Error(`non-error value: ${String(error)}`);
    deps.logger.fatal({ err, origin, pid: process.pid, exitCode: FAULT_EXIT_CODE }, `${origin}: ${err.message}; exiting for a restart`);
    if (exiting) return;
    exiting = true;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      exit(FAULT_EXIT_CODE);
    };
    // Bounded: a log destination that cannot drain must not keep a broken process alive.
    setTimeout(finish, FLUSH_TIMEOUT_MS).unref();
    try {
      deps.logger.flush((flushError) => {
        void flushError;
        finish();
      });
    } catch {
      finish();
    }
  };
}

/** Installs the policy on this process; returns the handler (for faults the server reports itself) and a function that removes it. */
export function installFaultPolicy(deps: FaultPolicyDeps): { handle: (error: unknown, origin: FaultOrigin) => void; uninstall: () => void } {
  const handle = faultHandler(deps);
  const onException = (e: unknown) => handle(e, 'uncaughtException');
  const onRejection = (e: unknown) => handle(e, 'unhandledRejection');
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return {
    handle,
    uninstall: () => {
      process.off('uncaughtException', onException);
      process.off('unhandledRejection', onRejection);
    },
  };
}
