#!/usr/bin/env node
// `npx parley …` and `npm start`: runs Parley on the project's pinned Node 24
// (the `node` npm package) whatever Node the shell has, from the server built
// as JavaScript (dist/server/, bin/server-build.mjs), rebuilt first when a
// source changed since it was built. Should that build be impossible (esbuild
// missing, a read-only install), it runs src/main.ts through Node's type
// stripping instead, and says so. The process then becomes the server
// (execve: one process, the launcher's own memory given back), with the Node
// flags and environment of the memory profile (bin/memory-profile.mjs,
// PARLEY_MEMORY).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { buildDir, buildServer, projectRoot, staleness } from './server-build.mjs';
import { memoryProfile } from './memory-profile.mjs';

const major = Number(process.versions.node.split('.')[0]);
let nodeBin = process.execPath;
if (major < 24) {
  const require = createRequire(import.meta.url);
  nodeBin = join(dirname(require.resolve('node/package.json')), 'bin', 'node');
}

async function entry() {
  const dir = buildDir();
  const stale = staleness(dir);
  if (stale === undefined) return join(dir, 'parley.mjs');
  try {
    await buildServer(dir);
    if (stale !== 'not built') process.stderr.write(`parley: rebuilt the server (${stale})\n`);
    return join(dir, 'parley.mjs');
  } catch (e) {
    process.stderr.write(`parley: could not build the server (${e.message.split('\n')[0]}); running the TypeScript sources instead\n`);
    return join(projectRoot, 'src', 'main.ts');
  }
}

let profile;
try {
  profile = memoryProfile(process.env, process.argv.slice(2));
} catch (e) {
  process.stderr.write(`parley: ${e.message}\n`);
  process.exit(2);
}
const args = [...profile.flags, '--disable-warning=ExperimentalWarning', await entry(), ...process.argv.slice(2)];
if (typeof process.execve === 'function' && process.platform !== 'win32') {
  process.execve(nodeBin, [nodeBin, ...args], profile.env);
}
const r = spawnSync(nodeBin, args, { stdio: 'inherit', env: profile.env });
process.exit(r.status ?? 1);
