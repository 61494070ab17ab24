// `parley serve` as users start it (bin/parley.mjs): from the server built as
// JavaScript, rebuilt when a source changed since, in one process with the
// memory profile's Node flags. Builds into a folder of its own under dist/
// (PARLEY_BUILD_DIR) so as not to race the project's own build.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { addressOf } from '../../src/http/dtalk/address.ts';
import { signToken } from '../../src/http/dtalk/signature.ts';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'bin/parley.mjs');
const buildDir = `dist/test-build-${process.pid}`;
const manifest = join(root, buildDir, 'build.json');
let dataDir: string;

before(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'parley-build-test-'));
});
after(() => {
  rmSync(join(root, buildDir), { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

const env = (more: Record<string, string> = {}) => ({ ...process.env, PARLEY_BUILD_DIR: buildDir, PARLEY_DATA_DIR: dataDir, PARLEY_PORT: '0', LOG_LEVEL: 'info', ...more });

test('parley serve runs the built server as one process: /healthz answers and the web client is served', async () => {
  const child = spawn(process.execPath, [bin, 'serve'], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout });
      lines.on('line', (line) => {
        if (!line.startsWith('{')) return;
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === 'parley listening' && entry.url) resolve(entry.url);
      });
      child.once('exit', (code) => reject(new Error(`parley serve exited with ${code}: ${stderr}`)));
    });
    // The launcher became the server (execve): the same process runs the bundle, with the memory profile's flags.
    const cmdline = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0');
    assert.ok(cmdline.includes(join(root, buildDir, 'parley.mjs')), cmdline.join(' '));
    // The young generation is V8's to size (bin/memory-profile.mjs says why).
    assert.ok(!cmdline.some((a) => a.includes('semi-space')), cmdline.join(' '));
    // `gc`, for the server to give back what start-up grew once it is quiet (src/heap-settling.ts).
    assert.ok(cmdline.includes('--expose-gc'), cmdline.join(' '));
    // And its environment: glibc's malloc kept to two arenas.
    assert.ok(readFileSync(`/proc/${child.pid}/environ`, 'utf8').split('\0').includes('MALLOC_ARENA_MAX=2'));
    const health = await fetch(`${url}/healthz`);
    assert.equal(health.status, 200);
    const page = await fetch(`${url}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await page.text(), /<script/);
    // A route's validator and serializer compile on its first request (src/http/lazy-schemas.ts): a bad body still gets the dialect's 400.
    const bad = await fetch(`${url}/v1/auth/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ handle: 7 }) });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: { code: string } }).error.code, 'invalid_argument');
    // dtalk's secp256k1 code is a chunk of its own, loaded by the first signature to check (src/http/dtalk/auth.ts): a signed login passes, an altered one is refused.
    const key = secp256k1.utils.randomSecretKey();
    const token = signToken(key, Date.now(), '');
    const login = (signature: string) => fetch(`${url}/app/user/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'FZM-SIGNATURE': signature }, body: JSON.stringify({ connType: 0 }) }).then((r) => r.json());
    assert.deepEqual(await login(token), { result: 0, message: 'OK', data: { address: addressOf(secp256k1.getPublicKey(key, true)) } });
    const [sig, , pub] = token.split('#');
    assert.equal(((await login(`${sig}#${Date.now() + 1}*#${pub}`)) as { result: number }).result, -1010);
    assert.equal(stderr, '', 'a first build says nothing');
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
});

test('the built files are ASCII, so V8 holds their sources at one byte a character', () => {
  // The sources' comments have arrows, ellipses and Chinese error names: one of them made the whole bundle two-byte.
  assert.match(readFileSync(join(root, 'src/http/xim/errors.ts'), 'utf8'), /[^\x00-\x7f]/);
  const files = readdirSync(join(root, buildDir)).filter((f) => f.endsWith('.mjs'));
  assert.ok(files.includes('parley.mjs'));
  for (const file of files) assert.doesNotMatch(readFileSync(join(root, buildDir, file), 'utf8'), /[^\x00-\x7f]/, file);
});

test('a build whose sources changed since is rebuilt before it runs, and says so', async () => {
  await run(process.execPath, [bin, '--help'], { env: env() });
  const built = JSON.parse(readFileSync(manifest, 'utf8')) as { inputs: Record<string, [number, number]> };
  const source = 'src/http/web.ts';
  assert.ok(built.inputs[source], 'the manifest lists every bundled source');
  // As if src/http/web.ts had been edited after the build (the file itself is left alone).
  built.inputs[source] = [built.inputs[source][0] + 1, built.inputs[source][1]];
  writeFileSync(manifest, JSON.stringify(built));
  const stale = await run(process.execPath, [bin, '--help'], { env: env() });
  assert.match(stale.stderr, /rebuilt the server \(src\/http\/web\.ts changed\)/);
  assert.match(stale.stdout, /usage/i);
  const fresh = await run(process.execPath, [bin, '--help'], { env: env() });
  assert.equal(fresh.stderr, '', 'the rebuilt server is used as it is');
});

test('PARLEY_MEMORY and --memory take small or large; anything else stops with a message', async () => {
  const large = spawn(process.execPath, [bin, 'serve'], { env: env({ PARLEY_MEMORY: 'large' }), stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: large.stdout }).on('line', (line) => line.includes('parley listening') && resolve());
      large.once('exit', (code) => reject(new Error(`exited with ${code}`)));
    });
    const cmdline = readFileSync(`/proc/${large.pid}/cmdline`, 'utf8');
    assert.doesNotMatch(cmdline, /semi-space|expose-gc/);
    assert.ok(!readFileSync(`/proc/${large.pid}/environ`, 'utf8').split('\0').some((v) => v.startsWith('MALLOC_ARENA_MAX=')), 'large keeps glibc\'s arenas');
  } finally {
    large.kill('SIGTERM');
    await new Promise((r) => large.once('exit', r));
  }
  const bad = await run(process.execPath, [bin, 'serve'], { env: env({ PARLEY_MEMORY: 'huge' }) }).catch((e: { code: number; stderr: string }) => e);
  assert.equal((bad as { code: number }).code, 2);
  assert.match((bad as { stderr: string }).stderr, /PARLEY_MEMORY \(--memory\) must be one of small, large \(got "huge"\)/);
  // The flag wins over the environment, as every setting's does.
  const flagged = spawn(process.execPath, [bin, 'serve', '--memory', 'large'], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: flagged.stdout }).on('line', (line) => line.includes('parley listening') && resolve());
      flagged.once('exit', (code) => reject(new Error(`exited with ${code}`)));
    });
    assert.doesNotMatch(readFileSync(`/proc/${flagged.pid}/cmdline`, 'utf8'), /expose-gc/);
  } finally {
    flagged.kill('SIGTERM');
    await new Promise((r) => flagged.once('exit', r));
  }
});
