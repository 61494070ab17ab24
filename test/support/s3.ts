// An in-process S3 emulator (s3rver) on a free loopback port, so the S3 blob
// adapter is tested with real @aws-sdk/client-s3 calls over HTTP.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import type { Config } from '../../src/config.ts';
import type { S3Options } from '../../src/blobs/s3/s3-blobs.ts';

export interface TestS3 {
  options: S3Options;
  /** Config overrides that make a test server use this S3. */
  config: Partial<Config>;
  stop(): Promise<void>;
}

export async function startTestS3(): Promise<TestS3> {
  const directory = mkdtempSync(join(tmpdir(), 'parley-s3-'));
  const bucket = 'parley-test';
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: bucket }] });
  fillEmulatorGaps(server);
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  // s3rver accepts any signature made with its fixed key pair.
  const options: S3Options = { bucket, endpoint, region: 'us-east-1', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true, prefix: 'p/' };
  return {
    options,
    config: { blobStore: 's3', s3Bucket: bucket, s3Endpoint: endpoint, s3Region: 'us-east-1', s3AccessKeyId: 'S3RVER', s3SecretAccessKey: 'S3RVER', s3PathStyle: true, s3Prefix: 'p/' },
    async stop() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/**
 * s3rver 3.7 lacks two behaviours of S3 that Parley relies on: it has no
 * AbortMultipartUpload (DELETE ?uploadId answers MethodNotAllowed), and it
 * re-creates an unknown upload when a part is sent to it. This middleware,
 * placed before s3rver's router, gives both their S3 answers (204 after
 * removing the parts; 404 NoSuchUpload), so the adapter is tested against
 * S3's documented behaviour. Part-ETag checking on completion is the one gap
 * left (declared in test/blobs/contract.test.ts).
 */
function fillEmulatorGaps(server: S3rver): void {
  const s = server as unknown as {
    middleware: ((ctx: EmulatorContext, next: () => Promise<void>) => Promise<void>)[];
    store: { getResourcePath(bucket: string, key: undefined, resource: string): string };
  };
  s.middleware.unshift(async (ctx, next) => {
    const uploadId = ctx.query.uploadId;
    const bucket = ctx.path.split('/')[1];
    if (typeof uploadId !== 'string' || !bucket || !/^[\w-]+$/.test(uploadId) || (ctx.method !== 'DELETE' && ctx.method !== 'PUT')) return next();
    const dir = join(s.store.getResourcePath(bucket, undefined, 'uploads'), uploadId);
    if (!existsSync(dir)) {
      ctx.status = 404;
      ctx.type = 'application/xml';
      ctx.body = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchUpload</Code><Message>The specified upload does not exist.</Message></Error>';
      return;
    }
    if (ctx.method === 'PUT') return next();
    rmSync(dir, { recursive: true, force: true });
    ctx.status = 204;
  });
}

interface EmulatorContext {
  method: string;
  path: string;
  query: Record<string, unknown>;
  status: number;
  type: string;
  body: unknown;
}
