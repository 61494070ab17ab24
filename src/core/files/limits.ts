// Byte limits enforced while streaming, so an oversize upload fails as soon
// as it passes the limit rather than after it has been stored.

import { Transform, type Readable } from 'node:stream';
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
  // A failing source (a dropped connection) fails the limited stream too.
  body.once('error', (e) => limiter.destroy(e));
  return body.pipe(limiter);
}
