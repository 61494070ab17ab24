// Makes SQLite's write-ahead log durable from libuv's thread pool instead of
// inside COMMIT. The connection runs with synchronous=NORMAL, so a commit
// only writes its frames to the OS; this flush then fdatasyncs the `-wal`
// file, which is what synchronous=FULL would have done in COMMIT, on the
// event loop, stalling every socket for the disk's flush time. Once it
// resolves, the commit survives a power cut exactly as under FULL.
//
// The flush opens the log itself (fsync is per inode on Linux: another file
// descriptor flushes the same data) once it exists, and keeps it open. It
// stays the same file while the engine's connection is open: SQLite removes
// the log only when the last connection to the database closes, and a
// checkpoint that restarts or truncates it rewrites the same file. Like
// SQLite's own first sync of a new log, the directory is synced too, so the
// file's name survives.
//
// After a failed flush nothing is promised any more: Linux may have dropped
// the pages that failed to write and report success on the next fsync, so
// every later flush fails as well, and the process must be restarted (SQLite
// then recovers what reached the disk). PostgreSQL stops for the same reason.

import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface LogFlush {
  /** Resolves once everything written to the log before the call is on disk. */
  flush(): Promise<void>;
  /** Throws the failure of an earlier flush: after one, nothing more may be written. */
  assertWritable(): void;
  close(): Promise<void>;
}

/** Tests hold or slow each flush through this: it is given the real one to call. */
export type FlushWrapper = (flush: () => Promise<void>) => Promise<void>;

export function walFlush(databasePath: string, wrap?: FlushWrapper): LogFlush {
  const walPath = `${databasePath}-wal`;
  let log: FileHandle | undefined;
  let failed: Error | undefined;
  let closed = false;

  const openLog = async (): Promise<FileHandle | undefined> => {
    let handle: FileHandle;
    try {
      handle = await open(walPath, 'r');
    } catch (e) {
      // No log yet: nothing was committed to one.
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    await syncDirectory(dirname(walPath));
    return handle;
  };

  const flushOnce = async (): Promise<void> => {
    log ??= await openLog();
    await log?.datasync();
  };

  const guarded = async (): Promise<void> => {
    if (closed) throw new Error('the SQLite log is closed');
    if (failed) throw failed;
    try {
      await (wrap ? wrap(flushOnce) : flushOnce());
    } catch (e) {
      failed = new Error(`flushing the SQLite write-ahead log ${walPath} to disk failed; writes are refused until Parley restarts: ${(e as Error).message}`, { cause: e });
      throw failed;
    }
  };

  // Callers that arrive while a flush runs share the next one (which starts after
  // their writes): never two at once, at most one waiting. The engine calls this
  // with its one connection held, so today callers come one at a time anyway.
  let running: Promise<void> | undefined;
  let next: Promise<void> | undefined;
  const start = (): Promise<void> => {
    const p = guarded().finally(() => {
      if (running === p) running = undefined;
    });
    running = p;
    return p;
  };

  return {
    flush() {
      if (next) return next;
      if (!running) return start();
      next = running
        .catch(() => {})
        .then(() => {
          next = undefined;
          return start();
        });
      return next;
    },
    assertWritable() {
      if (failed) throw failed;
    },
    async close() {
      closed = true;
      await running?.catch(() => {});
      const h = log;
      log = undefined;
      await h?.close();
    },
  };
}

async function syncDirectory(dir: string): Promise<void> {
  const h = await open(dir, 'r');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}
