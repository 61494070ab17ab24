// What an idle Parley holds: starts `parley serve` exactly as a user does
// (bin/parley.mjs: the server built as JavaScript, with the Node flags of
// PARLEY_MEMORY; embedded SQLite, fresh data directory, nothing connected),
// waits FOOTPRINT_AFTER_MS (8 s), and prints process.memoryUsage(), V8's heap
// spaces and /proc/<pid>/smaps_rollup, taken inside the process by
// bench/footprint-probe.ts. The probe is loaded through NODE_OPTIONS
// (--import) as plain JavaScript (its types stripped here), so that it does
// not start TypeScript in the server. EXTRA_FLAGS adds Node/V8 flags the same
// way (e.g. "--max-semi-space-size=4"; with PARLEY_MEMORY=large, since the
// profile's flags win over NODE_OPTIONS); FOOTPRINT_ENTRY=src/main.ts starts
// the TypeScript sources instead of the launcher, to compare.
// FOOTPRINT_MIGRATED=1 runs `parley migrate` on the data directory first, so
// that the server starts on an existing store as a restarted one does (a
// fresh store's migrations are a burst of writes that starts the SQLite
// checkpoint worker for its first minute: src/store/sqlite/checkpointer.ts).
//
//   node --disable-warning=ExperimentalWarning bench/idle-footprint.ts

import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const after = Number(process.env.FOOTPRINT_AFTER_MS ?? 8000);
const dir = mkdtempSync(join(tmpdir(), 'parley-footprint-'));
const out = join(dir, 'footprint.json');
const root = new URL('..', import.meta.url).pathname;
const probe = join(dir, 'footprint-probe.mjs');
writeFileSync(probe, stripTypeScriptTypes(readFileSync(join(root, 'bench/footprint-probe.ts'), 'utf8')));
const entry = process.env.FOOTPRINT_ENTRY ?? 'bin/parley.mjs';
const extra = (process.env.EXTRA_FLAGS ?? '').split(' ').filter(Boolean);
const dataDir = join(dir, 'data');
const migrated = process.env.FOOTPRINT_MIGRATED === '1';
if (migrated) execFileSync(process.execPath, [join(root, 'bin/parley.mjs'), 'migrate'], { env: { ...process.env, PARLEY_DATA_DIR: dataDir }, stdio: 'ignore' });
const load = loadavg()[0];
const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', ...extra, join(root, entry), 'serve'], {
  env: {
    ...process.env,
    NODE_OPTIONS: [process.env.NODE_OPTIONS ?? '', ...extra, `--import=${probe}`].join(' ').trim(),
    PARLEY_DATA_DIR: dataDir,
    PARLEY_PORT: '0',
    LOG_LEVEL: 'warn',
    FOOTPRINT_OUT: out,
    FOOTPRINT_AFTER_MS: String(after),
  },
  stdio: ['ignore', 'ignore', 'inherit'],
});
try {
  const deadline = Date.now() + after + 60_000;
  while (!existsSync(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  await new Promise((r) => setTimeout(r, 200));
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const vmRss = /VmRSS:\s+(\d+)/.exec(status)?.[1];
  const found = JSON.parse(readFileSync(out, 'utf8'));
  console.log(JSON.stringify({ at: new Date().toISOString(), loadAverage: load, entry, memory: process.env.PARLEY_MEMORY ?? '', migrated, afterMs: after, flags: process.env.EXTRA_FLAGS ?? '', vmRssMiB: Math.round((Number(vmRss) / 1024) * 10) / 10, ...found }, null, 1));
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
