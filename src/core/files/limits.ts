// Byte limits enforced while streaming, so an oversize upload fails as soon
// as it passes the limit rather than after it has been stored.

import { finished, Transform, type Readable } from 'node:stream';
import { fail } from '../errors.ts';

export function limitBytes(body: Readable, max: number, what = 'object'): Readable {
  let size = 0;
  const limiter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > max) return done(fail('object_too_large', `the ${what} is larger than ${max} bytes`, { maxBytes: max }));
      done(null, chunk);
    },
  });
  // A source that fails or closes early (a dropped connection, even one that
  // dropped before anyone read it) fails the limited stream too, rather than
  // leaving it waiting for an end that never comes.
  finished(body, (err) => {
    if (err) limiter.destroy(err);
  });
  // The store may start reading a moment later (after an await): the error
  // stays on the stream (readableErrored) and reaches it then, so this
  // listener only keeps an early failure from being an unhandled 'error'
  // event, which would end the process.
  limiter.on('error', () => {});
  return body.pipe(limiter);
}
