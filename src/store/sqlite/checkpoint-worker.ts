// Runs in a worker thread (see checkpointer.ts): copies the WAL back into the
// database file with its own connection, so the main thread's commits never
// stop for a checkpoint. PASSIVE: it never waits for, nor blocks, the writer.

import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';

const { path, everyMs } = workerData as { path: string; everyMs: number };
const db = new DatabaseSync(path);
db.exec('PRAGMA busy_timeout = 1000');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');

const run = () => {
  try {
    checkpoint.get();
  } catch {
    // A busy database or a transient I/O error: the next round tries again.
  }
};
const timer = setInterval(run, everyMs);

parentPort?.on('message', (m: unknown) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  run();
  db.close();
  parentPort?.close();
});
