// The server built as JavaScript: src/ bundled by esbuild into dist/server/
// (parley.mjs, the checkpoint worker, lazily loaded chunks; packages stay in
// node_modules). Run from it, Parley starts without Node's TypeScript type
// stripping, which costs an idle process ~20 MiB resident (amaro's
// WebAssembly compiler, in the main thread and again in the checkpoint
// worker) and the stripped sources' copies (bench/README.md, idle footprint).
//
// build.json beside the bundle lists every source file that went into it with
// its size and modification time: a bundle whose sources changed since is
// stale and is rebuilt before it runs (bin/parley.mjs), so an edit to src/ is
// never silently ignored. `npm run build:server` (and `npm install`, through
// `prepare`) builds it; `node bin/server-build.mjs` too.

import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const MANIFEST = 'build.json';

/** dist/server/, or PARLEY_BUILD_DIR (relative to the project; it must stay inside it, where node_modules and web/dist are found). The tests build elsewhere. */
export function buildDir(root = projectRoot, env = process.env) {
  return env.PARLEY_BUILD_DIR ? resolve(root, env.PARLEY_BUILD_DIR) : join(root, 'dist', 'server');
}

/** Why the bundle in `dir` cannot be run as it is (missing, or a source changed), or undefined when it can. */
export function staleness(dir, root = projectRoot) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8'));
  } catch {
    return 'not built';
  }
  if (!existsSync(join(dir, manifest.entry ?? ''))) return 'not built';
  for (const [file, [size, mtimeMs]] of Object.entries(manifest.inputs)) {
    let s;
    try {
      s = statSync(join(root, file));
    } catch {
      return `${file} is gone`;
    }
    if (s.size !== size || s.mtimeMs !== mtimeMs) return `${file} changed`;
  }
  return undefined;
}

/**
 * Bundles src/main.ts (and the checkpoint worker) into `dir`. Written into a
 * folder of its own first and moved into place, so that a process starting
 * meanwhile never loads half a build; of two builds racing, the first in place wins
 * (both come from the same sources).
 */
export async function buildServer(dir = buildDir(), root = projectRoot) {
  const { build } = await import('esbuild');
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  rmSync(tmp, { recursive: true, force: true });
  try {
    const result = await build({
      absWorkingDir: root,
      entryPoints: { parley: 'src/main.ts', 'checkpoint-worker': 'src/store/sqlite/checkpoint-worker.ts' },
      outdir: tmp,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      // Dynamic imports (the S3 adapter, only when configured) stay separate files, loaded when asked for.
      splitting: true,
      chunkNames: '[name]-[hash]',
      format: 'esm',
      platform: 'node',
      target: 'node24',
      packages: 'external',
      // Class and function names as in the sources (errors and logs show them).
      keepNames: true,
      metafile: true,
      logLevel: 'error',
    });
    for (const file of Object.keys(result.metafile.outputs)) if (file.endsWith('.mjs')) asciiOnly(resolve(root, file));
    const inputs = {};
    for (const file of Object.keys(result.metafile.inputs)) {
      const s = statSync(join(root, file));
      inputs[relative(root, join(root, file))] = [s.size, s.mtimeMs];
    }
    writeFileSync(join(tmp, MANIFEST), JSON.stringify({ entry: 'parley.mjs', builtAt: new Date().toISOString(), inputs }));
    mkdirSync(dirname(dir), { recursive: true });
    const old = `${dir}.old-${process.pid}`;
    try {
      renameSync(dir, old);
    } catch {
      // nothing there yet, or another build moved it first
    }
    try {
      renameSync(tmp, dir);
    } catch (e) {
      if (e.code !== 'ENOTEMPTY' && e.code !== 'EEXIST') throw e;
      // Another build got there first: keep that one.
    }
    rmSync(old, { recursive: true, force: true });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return dir;
}

/**
 * Rewrites every non-ASCII character of a built file as its \u escape. V8
 * keeps each module's source for the process's lifetime, one byte a character
 * when all of them are Latin-1 and two otherwise: a single "→" in a comment
 * doubled the bundle's 0.9 MB held in memory. esbuild (charset ascii, its
 * default) already escapes strings, templates, regular expressions and
 * identifiers, so what is left is in comments, where the escape is only text.
 */
function asciiOnly(file) {
  const text = readFileSync(file, 'utf8');
  const escaped = text.replace(/[^\x00-\x7f]/gu, (c) => {
    const code = c.codePointAt(0);
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
  if (escaped !== text) writeFileSync(file, escaped);
}

// `node bin/server-build.mjs`: build now.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = await buildServer();
  process.stdout.write(`parley: server built into ${relative(process.cwd(), dir) || '.'}\n`);
}
