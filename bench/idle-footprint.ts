// What an idle Parley holds: starts `parley serve` (src/main.ts, embedded
// SQLite, fresh data directory, nothing connected) the way the CLI does,
// waits FOOTPRINT_AFTER_MS (8 s), and prints process.memoryUsage(), V8's heap
// spaces and /proc/<pid>/smaps_rollup (bench/footprint-probe.ts, loaded with
// --import, takes them inside the process). EXTRA_FLAGS adds Node/V8 flags
// (e.g. "--max-semi-space-size=64") to compare.
//
//   node --disable-warning=ExperimentalWarning bench/idle-footprint.ts

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const after = Number(process.env.FOOTPRINT_AFTER_MS ?? 8000);
const dir = mkdtempSync(join(tmpdir(), 'parley-footprint-'));
const out = join(dir, 'footprint.json');
const root = new URL('..', import.meta.url).pathname;
const load = loadavg()[0];
const child = spawn(
  process.execPath,
  [...(process.env.EXTRA_FLAGS ?? '').split(' ').filter(Boolean), '--disable-warning=ExperimentalWarning', '--import', join(root, 'bench/footprint-probe.ts'), join(root, 'src/main.ts'), 'serve'],
  { env: { ...process.env, PARLEY_DATA_DIR: join(dir, 'data'), PARLEY_PORT: '0', PARLEY_LOG_LEVEL: 'warn', FOOTPRINT_OUT: out, FOOTPRINT_AFTER_MS: String(after) }, stdio: ['ignore', 'ignore', 'inherit'] },
);
try {
  const deadline = Date.now() + after + 60_000;
  while (!existsSync(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  await new Promise((r) => setTimeout(r, 200));
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const vmRss = /VmRSS:\s+(\d+)/.exec(status)?.[1];
  const probe = JSON.parse(readFileSync(out, 'utf8'));
  console.log(JSON.stringify({ at: new Date().toISOString(), loadAverage: load, flags: process.env.EXTRA_FLAGS ?? '', vmRssMiB: Math.round((Number(vmRss) / 1024) * 10) / 10, ...probe }, null, 1));
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
