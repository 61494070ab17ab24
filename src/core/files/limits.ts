// Byte limits enforced while streaming, so an oversize upload fails as soon
// as it passes the limit rather than after it has been stored.

import { Readable } from 'node:stream';
import { fail } from '../errors.ts';

export function limitBytes(body: Readable, max: number, what = 'object'): Readable {
  let size = 0;
  const limited = Readable.from(
    (async function* () {
      for await (const chunk of body as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > max) throw fail('object_too_large', `the ${what} is larger than ${max} bytes`, { maxBytes: max });
        yield chunk;
      }
    })(),
    { objectMode: false },
  );
  return limited;
}
