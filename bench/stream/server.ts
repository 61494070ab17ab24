// One Parley process of the multi-writer benchmark (bench/stream/multi-writer.ts):
// a server on the PostgreSQL database named by DATABASE_URL, with the node id
// PARLEY_NODE_ID. Prints one JSON line {url, adminToken?, appId?} when ready:
// the first process on an empty database bootstraps the app and its admin
// token; the others join the same database. On SIGTERM it prints its group
// commit figures to stderr and stops.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { startServer } from '../../src/server.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'parley-stream-bench-'));
const config = loadConfig({ overrides: { host: '127.0.0.1', port: 0, logLevel: 'silent', dataDir, docs: false } });
const server = await startServer(config);
process.stdout.write(JSON.stringify({ url: server.url, ...(server.bootstrap ?? {}) }) + '\n');
process.once('SIGTERM', () => {
  process.stderr.write(`node ${config.nodeId} group commit: ${JSON.stringify(server.core.messages.commitStats)}\n`);
  void server.close().then(() => process.exit(0));
});
