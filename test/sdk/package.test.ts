// @parley/sdk is installable: `npm pack` builds it (prepack runs tsc) into a
// tarball holding ESM JavaScript and type declarations for every module, its
// package.json points at files that are in the tarball, and the built entry
// point loads in Node and exports the client.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SDK = new URL('../../packages/sdk/', import.meta.url).pathname;

test('npm pack produces a tarball with dist/index.js, its declarations and a package.json whose exports resolve', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'parley-sdk-pack-'));
  try {
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: SDK, maxBuffer: 8 << 20 });
    const [info] = JSON.parse(stdout.slice(stdout.indexOf('['))) as { name: string; filename: string; files: { path: string }[] }[];
    assert.equal(info.name, '@parley/sdk');
    const files = info.files.map((f) => f.path).sort();
    for (const f of ['dist/index.js', 'dist/index.d.ts', 'dist/client.js', 'dist/socket.d.ts', 'dist/mirror.js', 'package.json', 'README.md']) assert.ok(files.includes(f), `${f} is packed`);
    assert.ok(!files.some((f) => f.startsWith('src/') || f.endsWith('.ts') && !f.endsWith('.d.ts')), `no sources packed: ${files.join(', ')}`);

    const pkg = JSON.parse(await readFile(join(SDK, 'package.json'), 'utf8')) as { type: string; exports: { '.': { types: string; import: string } } };
    assert.equal(pkg.type, 'module');
    for (const target of [pkg.exports['.'].types, pkg.exports['.'].import]) assert.ok(files.includes(target.replace(/^\.\//, '')), `${target} is in the tarball`);

    // The built code imports its siblings as .js (not .ts), so it runs without a TypeScript loader.
    const index = await readFile(join(SDK, 'dist/index.js'), 'utf8');
    assert.doesNotMatch(index, /\.ts['"]/);
    const sdk = (await import(join(SDK, 'dist/index.js'))) as Record<string, unknown>;
    for (const name of ['ParleyClient', 'ParleySocket', 'ConversationMirror', 'ParleyError', 'SendError', 'conversationKey']) assert.equal(typeof sdk[name], 'function', name);
    const tarball = join(dir, info.filename);
    const { stdout: listing } = await run('tar', ['-tzf', tarball]);
    assert.match(listing, /^package\/dist\/index\.d\.ts$/m);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
