// Checkpoints off the event loop. In WAL mode SQLite copies the log back into
// the database file every so often; by default the commit that crosses 1,000
// pages does it, on the thread that commits, which here is the event loop:
// every few hundred commits one stalls for 10-30 ms and with it every
// socket of the process. A worker thread with a connection of its own does
// the copying instead, every CHECKPOINT_EVERY_MS. The main connection still
// checkpoints by itself past SAFETY_PAGES, so the log stays bounded should
// the worker fall behind, die, or not be running yet.
//
// The worker runs only while writes come fast: a Node worker is ~18 MiB
// resident (its own isolate and Node environment), a fifth of an idle
// server's memory (bench/README.md, idle footprint). The main connection
// counts its changes every WATCH_EVERY_MS (SQLite's total_changes()); at
// BUSY_CHANGES_PER_S or more the worker starts, and after IDLE_STOP_MS below
// that it stops, after a last checkpoint. Without it the main connection
// checkpoints at SQLite's usual 1,000 pages: at a quiet server's rate (the
// node lease's renewal every 5 s, a few messages) that is a short pause every
// many minutes, not the stall every few hundred commits of a busy one.
// Migrations run under hold() (Engine.bulkWrite): a fresh store's thousands
// of changes are not traffic, and its main connection checkpoints them once.

import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { DatabaseSync } from 'node:sqlite';

const CHECKPOINT_EVERY_MS = 200;
const WATCH_EVERY_MS = 1000;
const IDLE_STOP_MS = 60_000;
const BUSY_CHANGES_PER_S = 20;
/** About 40 MB of log at 4 KiB pages: the main connection's own threshold while the worker runs. */
const SAFETY_PAGES = 10_000;
/** SQLite's default: the main connection's threshold while no worker runs. */
const ALONE_PAGES = 1000;
/**
 * The worker's file sits beside this code: checkpoint-worker.ts next to this
 * file, or checkpoint-worker.mjs in the built server's folder (dist/server/,
 * bin/server-build.mjs), which runs without TypeScript.
 */
const workerFile = new URL(`./checkpoint-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

export interface Checkpointer {
  /** Whether the worker runs now (tests). */
  readonly running: boolean;
  /**
   * Until the returned release is called, changes do not count as fast
   * writes (a burst that is not traffic: the migrations); the writes made
   * meanwhile are forgotten at release.
   */
  hold(): () => void;
  stop(): Promise<void>;
}

interface Running {
  stop(): Promise<void>;
}

export function startCheckpointer(path: string, main: DatabaseSync, timing: { watchEveryMs?: number; idleStopMs?: number } = {}): Checkpointer {
  const threshold = (pages: number) => {
    try {
      main.exec(`PRAGMA wal_autocheckpoint = ${pages}`);
    } catch {
      // the database is closed already
    }
  };
  threshold(ALONE_PAGES);
  const idleStopMs = timing.idleStopMs ?? IDLE_STOP_MS;
  const watchEveryMs = timing.watchEveryMs ?? WATCH_EVERY_MS;
  const busy = Math.max(1, Math.round((BUSY_CHANGES_PER_S * watchEveryMs) / 1000));
  const changes = main.prepare('SELECT total_changes() AS n');
  const count = () => Number((changes.get() as { n: number }).n);
  let seen = count();
  let lastBusyAt = 0;
  let failed = false;
  let worker: Running | undefined;
  let holds = 0;
  const onFailure = () => {
    failed = true;
    worker = undefined;
    // Back to checkpointing on commit: slower, but the log stays small.
    threshold(ALONE_PAGES);
  };
  const watch = setInterval(() => {
    let n: number;
    try {
      n = count();
    } catch {
      return; // the database is closing
    }
    const fast = holds === 0 && n - seen >= busy;
    seen = n;
    if (fast) {
      lastBusyAt = Date.now();
      if (!worker && !failed) {
        worker = startWorker(path, onFailure);
        threshold(SAFETY_PAGES);
      }
    } else if (worker && Date.now() - lastBusyAt >= idleStopMs) {
      const idle = worker;
      worker = undefined;
      threshold(ALONE_PAGES);
      void idle.stop();
    }
  }, watchEveryMs);
  // It must not keep the process alive.
  watch.unref();
  return {
    get running() {
      return worker !== undefined;
    },
    hold() {
      holds++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        holds--;
        try {
          seen = count();
        } catch {
          // the database is closing
        }
      };
    },
    async stop() {
      clearInterval(watch);
      const last = worker;
      worker = undefined;
      await last?.stop();
      threshold(ALONE_PAGES);
    },
  };
}

function startWorker(path: string, onFailure: () => void): Running {
  // The worker holds one prepared statement: a small heap is plenty, and
  // V8's defaults would let its isolate grow a young generation of its own
  // as large as the main thread's (bench/idle-footprint.ts).
  const worker = new Worker(workerFile, {
    workerData: { path, everyMs: CHECKPOINT_EVERY_MS },
    resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 32 },
  });
  // It must not keep the process alive, nor take it down.
  worker.unref();
  let failed = false;
  worker.on('error', () => {
    failed = true;
    onFailure();
  });
  return {
    async stop() {
      if (failed) return;
      // Held while stopping: with nothing else keeping the event loop alive
      // (a CLI command that failed), an unref'd worker and timer let the
      // process exit in the middle of close, dropping the caller's error and
      // exit code with it.
      worker.ref();
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      // It checkpoints once more before it closes its connection.
      worker.postMessage('stop');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise<void>((r) => (timer = setTimeout(r, 2000)))]);
      clearTimeout(timer);
      await worker.terminate();
    },
  };
}
