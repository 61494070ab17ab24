// When the server gives memory back (src/heap-settling.ts): once the event
// loop is quiet after a burst of work (start-up counts as one), never twice
// without a burst between, never more often than once a minute; and through
// `parley serve` itself, which has `gc` from its memory profile.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { BUSY_UTILIZATION, MIN_GAP_MS, QUIET_UTILIZATION, shouldSettle, startingState } from '../../src/heap-settling.ts';

const quiet = QUIET_UTILIZATION / 2;
const busy = BUSY_UTILIZATION;
const between = (QUIET_UTILIZATION + BUSY_UTILIZATION) / 2;

describe('shouldSettle', () => {
  test('the first quiet check after start-up collects; further quiet checks do not', () => {
    const state = startingState();
    assert.equal(shouldSettle(state, quiet, 1_000), true);
    assert.equal(shouldSettle(state, quiet, 3_000), false);
    assert.equal(shouldSettle(state, quiet, 10 * MIN_GAP_MS), false);
  });

  test('a busy check, then a quiet one a minute after the last collection, collects again', () => {
    const state = startingState();
    assert.equal(shouldSettle(state, quiet, 0), true);
    assert.equal(shouldSettle(state, busy, 2_000), false);
    assert.equal(shouldSettle(state, quiet, 4_000), false, 'within the minute');
    assert.equal(shouldSettle(state, quiet, MIN_GAP_MS), true, 'the burst is still owed its collection');
    assert.equal(shouldSettle(state, quiet, MIN_GAP_MS + 2_000), false);
  });

  test('a check neither busy nor quiet neither collects nor counts as a burst', () => {
    const state = startingState();
    assert.equal(shouldSettle(state, between, 0), false);
    assert.equal(shouldSettle(state, quiet, 2_000), true, 'start-up was the burst');
    assert.equal(shouldSettle(state, between, 2 * MIN_GAP_MS), false);
    assert.equal(shouldSettle(state, quiet, 3 * MIN_GAP_MS), false);
  });
});

test('parley serve settles its heap once start-up is over, and resident memory falls', { timeout: 120_000 }, async () => {
  const bin = fileURLToPath(new URL('../../bin/parley.mjs', import.meta.url));
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-settling-'));
  const child = spawn(process.execPath, [bin, 'serve'], { env: { ...process.env, PARLEY_DATA_DIR: dataDir, PARLEY_PORT: '0', LOG_LEVEL: 'debug' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  try {
    const settled = await new Promise<{ tookMs: number; rssBeforeMiB: number; rssAfterMiB: number }>((resolve, reject) => {
      createInterface({ input: child.stdout }).on('line', (line) => {
        if (!line.startsWith('{')) return;
        const entry = JSON.parse(line) as { msg?: string; tookMs: number; rssBeforeMiB: number; rssAfterMiB: number };
        if (entry.msg === 'heap settled after a burst of work') resolve(entry);
      });
      child.once('exit', (code) => reject(new Error(`parley serve exited with ${code}: ${stderr}`)));
    });
    // The young generation shrunk and pooled pages released: ~16 MiB on an idle server (bench/README.md, idle footprint).
    assert.ok(settled.rssAfterMiB > 0 && settled.rssAfterMiB < settled.rssBeforeMiB && settled.tookMs >= 0, JSON.stringify(settled));
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
});
