// The blob stores every storage test runs against: the local directory
// always, and S3 through an in-process emulator (test/support/s3.ts).

import type { Config } from '../../src/config.ts';
import { startTestS3 } from './s3.ts';

export interface StoreVariant {
  name: 'local' | 's3';
  /** Starts what the store needs; returns config overrides and a stop function. */
  start(): Promise<{ config: Partial<Config>; stop(): Promise<void> }>;
}

export const storeVariants: StoreVariant[] = [
  { name: 'local', start: async () => ({ config: { blobStore: 'local' }, stop: async () => {} }) },
  {
    name: 's3',
    async start() {
      const s3 = await startTestS3();
      return { config: s3.config, stop: () => s3.stop() };
    },
  },
];
