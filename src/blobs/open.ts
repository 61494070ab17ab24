// Picks the blob adapter the configuration names. Switching stores is a
// setting, never a code change.

import { join } from 'node:path';
import type { Config } from '../config.ts';
import type { BlobStore } from '../core/blobs.ts';
import type { CoreSettings } from '../core/core.ts';
import { localBlobs } from './local/local-blobs.ts';

/**
 * The S3 adapter is imported only when configured: the AWS SDK it pulls in
 * costs an idle process about 38 MiB resident (bench/idle-footprint.ts).
 */
export async function openBlobs(config: Config): Promise<BlobStore> {
  switch (config.blobStore) {
    case 'local':
      return localBlobs(config.blobDir || join(config.dataDir, 'blobs'));
    case 's3': {
      if (!config.s3Bucket) throw new Error('PARLEY_BLOB_STORE=s3 needs PARLEY_S3_BUCKET');
      const { s3Blobs } = await import('./s3/s3-blobs.ts');
      return s3Blobs({
        bucket: config.s3Bucket,
        endpoint: config.s3Endpoint,
        region: config.s3Region,
        accessKeyId: config.s3AccessKeyId,
        secretAccessKey: config.s3SecretAccessKey,
        forcePathStyle: config.s3PathStyle,
        prefix: config.s3Prefix,
      });
    }
  }
}

/** The storage and call tunables of core, from the configuration. */
export function storageAndCallSettings(config: Config): Required<Pick<CoreSettings, 'files' | 'calls'>> {
  return {
    files: {
      maxObjectSize: config.maxObjectSize,
      maxPartSize: config.maxPartSize,
      minPartSize: config.minPartSize,
      downloadUrlTtlSeconds: config.downloadUrlTtl,
      uploadCredentialTtlSeconds: config.uploadCredentialTtl,
      multipartMaxAgeSeconds: config.multipartMaxAge,
      uploadIdleMs: config.uploadIdleMs,
    },
    calls: {
      ringTimeoutSeconds: config.callRingTimeout,
      trtc: config.trtcSdkAppId > 0 && config.trtcSecret ? { sdkAppId: config.trtcSdkAppId, secret: config.trtcSecret, ticketTtlSeconds: config.trtcTicketTtl } : null,
    },
  };
}
