// Prepared frames (src/gateway/wire.ts) are read back by ws's own frame
// parser as the same text, at every length encoding (7-bit, 16-bit, 64-bit).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRequire } from 'node:module';
import { textFrame } from '../../src/gateway/wire.ts';

// ws's frame parser (not in its type definitions; ws's own export).
const Receiver = createRequire(import.meta.url)('ws').Receiver as new (o: { isServer: boolean }) => import('node:stream').Writable;

test('a prepared text frame decodes to its text at 7-, 16- and 64-bit lengths', async () => {
  for (const text of ['', 'héllo', 'x'.repeat(125), 'é'.repeat(63), 'y'.repeat(126), 'z'.repeat(65_535), '€'.repeat(30_000)]) {
    const { wire, payload } = textFrame(text);
    assert.equal(payload.toString('utf8'), text);
    const receiver = new Receiver({ isServer: false });
    const got = new Promise<string>((resolve, reject) => {
      receiver.on('message', (data: Buffer, isBinary: boolean) => (isBinary ? reject(new Error('binary')) : resolve(data.toString('utf8'))));
      receiver.on('error', reject);
    });
    receiver.write(wire);
    assert.equal(await got, text, `length ${Buffer.byteLength(text)}`);
  }
});
