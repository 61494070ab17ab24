#!/usr/bin/env node
// `npx parley …`: runs src/main.ts on the project's pinned Node 24 (the `node`
// npm package), whatever Node the shell has, since the server relies on
// Node 24's TypeScript type stripping.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const major = Number(process.versions.node.split('.')[0]);
let nodeBin = process.execPath;
if (major < 24) {
  const require = createRequire(import.meta.url);
  nodeBin = join(dirname(require.resolve('node/package.json')), 'bin', 'node');
}
const r = spawnSync(nodeBin, ['--disable-warning=ExperimentalWarning', join(root, 'src', 'main.ts'), ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
