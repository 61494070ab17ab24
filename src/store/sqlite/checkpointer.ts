// Checkpoints off the event loop. In WAL mode SQLite copies the log back into
// the database file every so often; by default the commit that crosses 1,000
// pages does it, on the thread that commits, which here is the event loop:
// every few hundred commits one stalls for 10-30 ms and with it every
// socket of the process. A worker thread with a connection of its own does
// the copying instead, every CHECKPOINT_EVERY_MS. The main connection still
// checkpoints by itself past SAFETY_PAGES, so the log stays bounded should
// the worker fall behind or die.

import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { DatabaseSync } from 'node:sqlite';

const CHECKPOINT_EVERY_MS = 200;
/** About 40 MB of log at 4 KiB pages. */
const SAFETY_PAGES = 10_000;
/**
 * The worker's file sits beside this code: checkpoint-worker.ts next to this
 * file, or checkpoint-worker.mjs in the built server's folder (dist/server/,
 * bin/server-build.mjs), which runs without TypeScript.
 */
const workerFile = new URL(`./checkpoint-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(path: string, main: DatabaseSync): Checkpointer {
  main.exec(`PRAGMA wal_autocheckpoint = ${SAFETY_PAGES}`);
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
    // Back to checkpointing on commit: slower, but the log stays small.
    try {
      main.exec('PRAGMA wal_autocheckpoint = 1000');
    } catch {
      // the database is closed already
    }
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
      worker.postMessage('stop');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise<void>((r) => (timer = setTimeout(r, 2000)))]);
      clearTimeout(timer);
      await worker.terminate();
    },
  };
}
