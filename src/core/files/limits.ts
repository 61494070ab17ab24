// Byte and time limits enforced while streaming, so an oversize upload fails
// as soon as it passes the limit rather than after it has been stored, and
// an upload whose sender stops sending (a stalled body) fails rather than
// holding its key, its temporary file and its connection forever.

import { finished, Transform, type Readable } from 'node:stream';
import { fail } from '../errors.ts';

export function limitBytes(body: Readable, max: number, what = 'object', idleMs = 0): Readable {
  let size = 0;
  let idle: NodeJS.Timeout | undefined;
  const limiter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      idle?.refresh();
      size += chunk.length;
      if (size > max) return done(fail('object_too_large', `the ${what} is larger than ${max} bytes`, { maxBytes: max }));
      done(null, chunk);
    },
  });
  // A source that fails or closes early (a dropped connection, even one that
  // dropped before anyone read it) fails the limited stream too, rather than
  // leaving it waiting for an end that never comes.
  finished(body, (err) => {
    // Every byte has arrived (or never will): what remains is the store's pace, not the sender's.
    clearTimeout(idle);
    if (err) limiter.destroy(err);
  });
  // The store may start reading a moment later (after an await): the error
  // stays on the stream (readableErrored) and reaches it then, so this
  // listener only keeps an early failure from being an unhandled 'error'
  // event, which would end the process.
  limiter.on('error', () => {});
  // A stall fails the upload and ends the source too (for HTTP, the request:
  // its connection closes), since its sender may never send the rest.
  idle =
    idleMs > 0
      ? setTimeout(() => {
          const stalled = fail('invalid_argument', `the ${what} stalled: no bytes for ${idleMs} ms`);
          limiter.destroy(stalled);
          body.destroy(stalled);
        }, idleMs)
      : undefined;
  limiter.on('close', () => clearTimeout(idle));
  return body.pipe(limiter);
}
