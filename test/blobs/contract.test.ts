// One contract suite, run against every blob adapter: the guarantees stated
// on the BlobStore port (src/core/blobs.ts).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import type { BlobStore } from '../../src/core/blobs.ts';
import { localBlobs } from '../../src/blobs/local/local-blobs.ts';
import { s3Blobs } from '../../src/blobs/s3/s3-blobs.ts';
import { startTestS3, type TestS3 } from '../support/s3.ts';

const md5 = (b: Buffer | string) => createHash('md5').update(b).digest('hex');
const body = (s: string | Buffer) => Readable.from([Buffer.from(s)]);

/** A body that sends some bytes, then fails as a dropped connection would. */
function failing(prefix: string): Readable {
  return Readable.from(
    (async function* () {
      yield Buffer.from(prefix);
      throw new Error('connection reset');
    })(),
  );
}

interface Variant {
  name: string;
  /**
   * Whether the store itself refuses a completion whose ETags do not match
   * the parts. Real S3 and MinIO do; s3rver does not check. Core checks the
   * list against the parts it recorded either way (test/http/native/uploads.test.ts).
   */
  checksPartEtags: boolean;
  open(): Promise<{ blobs: BlobStore; close(): Promise<void> }>;
}

const variants: Variant[] = [
  {
    name: 'local',
    checksPartEtags: true,
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'parley-blobs-'));
      return { blobs: localBlobs(dir), close: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 's3 (s3rver)',
    checksPartEtags: false,
    async open() {
      const s3: TestS3 = await startTestS3();
      const blobs = s3Blobs(s3.options);
      return {
        blobs,
        async close() {
          await blobs.close?.();
          await s3.stop();
        },
      };
    },
  },
];

for (const v of variants) {
  describe(`blob store contract: ${v.name}`, () => {
    let blobs: BlobStore;
    let close: () => Promise<void>;
    before(async () => {
      ({ blobs, close } = await v.open());
    });
    after(() => close());

    test('put, head, get and delete one object; keys a and a/b coexist', async () => {
      const info = await blobs.put('1/a', body('hello'), { contentType: 'text/plain' });
      assert.equal(info.size, 5);
      assert.equal(info.etag, md5('hello'));
      await blobs.put('1/a/b', body('nested'), { contentType: 'text/plain' });
      const got = await blobs.get('1/a');
      assert.ok(got);
      assert.equal(got.size, 5);
      assert.equal(await text(got.body), 'hello');
      assert.equal(await text((await blobs.get('1/a/b'))!.body), 'nested');
      assert.equal((await blobs.head('1/a'))?.size, 5);
      await blobs.delete('1/a');
      assert.equal(await blobs.get('1/a'), undefined);
      assert.equal(await blobs.head('1/a'), undefined);
      await blobs.delete('1/a'); // idempotent
    });

    test('a byte range reads only those bytes and reports the whole size', async () => {
      await blobs.put('1/range', body('0123456789'), { contentType: 'text/plain' });
      const got = await blobs.get('1/range', { start: 3, end: 6 });
      assert.equal(got!.size, 10);
      assert.equal(await text(got!.body), '3456');
    });

    test('a body that fails midway leaves nothing visible, and keeps the previous object', async () => {
      await assert.rejects(blobs.put('1/fail-new', failing('partial'), { contentType: 'text/plain' }));
      assert.equal(await blobs.get('1/fail-new'), undefined);
      await blobs.put('1/fail-old', body('old'), { contentType: 'text/plain' });
      await assert.rejects(blobs.put('1/fail-old', failing('new partial'), { contentType: 'text/plain' }));
      assert.equal(await text((await blobs.get('1/fail-old'))!.body), 'old');
    });

    test('a larger streamed object round-trips byte for byte', async () => {
      const chunk = Buffer.alloc(1024 * 1024, 7);
      const big = Readable.from((function* () {
        for (let i = 0; i < 12; i++) yield chunk;
      })());
      const info = await blobs.put('1/big', big, { contentType: 'application/octet-stream' });
      assert.equal(info.size, 12 * 1024 * 1024);
      const got = await blobs.get('1/big');
      let n = 0;
      for await (const c of got!.body as AsyncIterable<Buffer>) n += c.length;
      assert.equal(n, 12 * 1024 * 1024);
    });

    test('multipart: parts in any order, re-sent part replaces, completion joins in list order', async () => {
      const id = await blobs.createMultipart('1/multi', { contentType: 'text/plain' });
      const p2 = await blobs.uploadPart('1/multi', id, 2, body('world'));
      await blobs.uploadPart('1/multi', id, 1, body('XXXXXX'));
      const p1 = await blobs.uploadPart('1/multi', id, 1, body('hello '), 6);
      assert.equal(p1.etag, md5('hello '));
      assert.equal(p2.size, 5);
      assert.equal(await blobs.get('1/multi'), undefined, 'not visible before completion');
      const done = await blobs.completeMultipart('1/multi', id, [
        { partNumber: 1, etag: p1.etag },
        { partNumber: 2, etag: p2.etag },
      ]);
      assert.equal(done.size, 11);
      assert.equal(await text((await blobs.get('1/multi'))!.body), 'hello world');
    });

    test('multipart: a wrong ETag refuses completion; abort is idempotent and discards the parts', async () => {
      const id = await blobs.createMultipart('1/multi-bad', { contentType: 'text/plain' });
      await blobs.uploadPart('1/multi-bad', id, 1, body('abc'));
      if (v.checksPartEtags) {
        await assert.rejects(blobs.completeMultipart('1/multi-bad', id, [{ partNumber: 1, etag: md5('other') }]), (e: { code?: string }) => e.code === 'invalid_argument');
      }
      await blobs.abortMultipart('1/multi-bad', id);
      await blobs.abortMultipart('1/multi-bad', id);
      await assert.rejects(blobs.uploadPart('1/multi-bad', id, 2, body('x')), (e: { code?: string }) => e.code === 'upload_not_found');
      assert.equal(await blobs.get('1/multi-bad'), undefined);
    });
  });
}
