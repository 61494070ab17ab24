// The process-level policy (src/process-faults.ts): an error nothing caught is
// logged at fatal level with its origin, counted, and ends the process with
// exit code 70 for a supervisor to restart.

import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { Registry } from 'prom-client';
import { FAULT_EXIT_CODE, faultHandler } from '../../src/process-faults.ts';
import { openEngine } from '../../src/store/open.ts';
import { createTestDatabase } from '../support/database.ts';

const main = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/fault-after-start.ts', import.meta.url));

describe('the fault handler', () => {
  test('logs at fatal with the origin, counts by origin, and exits 70 once', async () => {
    const lines: Record<string, any>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const l of chunk.toString().split('\n')) if (l) lines.push(JSON.parse(l) as Record<string, any>);
        done();
      },
    });
    const registry = new Registry();
    const exits: number[] = [];
    let exited: () => void = () => {};
    const exitedOnce = new Promise<void>((r) => (exited = r));
    const handle = faultHandler({ logger: pino({ level: 'info' }, sink), registry, exit: (code) => (exits.push(code), exited()) });

    handle(new Error('boom in a timer'), 'uncaughtException');
    handle('not an error', 'unhandledRejection');
    await exitedOnce;

    assert.deepEqual(exits, [FAULT_EXIT_CODE]);
    assert.equal(FAULT_EXIT_CODE, 70);
    assert.equal(lines.length, 2);
    assert.equal(lines[0].level, 60);
    assert.equal(lines[0].origin, 'uncaughtException');
    assert.equal(lines[0].err.message, 'boom in a timer');
    assert.match(lines[0].err.stack, /boom in a timer/);
    assert.match(lines[0].msg, /^uncaughtException: boom in a timer; exiting for a restart$/);
    assert.equal(lines[1].origin, 'unhandledRejection');
    assert.equal(lines[1].err.message, 'non-error value: not an error');
    const text = await registry.metrics();
    assert.match(text, /^parley_process_faults_total\{origin="uncaughtException"\} 1$/m);
    assert.match(text, /^parley_process_faults_total\{origin="unhandledRejection"\} 1$/m);
  });
});

describe('parley serve with a fault after start', () => {
  for (const [kind, origin, message] of [
    ['throw', 'uncaughtException', 'deliberate fault from a test'],
    ['reject', 'unhandledRejection', 'deliberate rejection from a test'],
  ] as const) {
    test(`${origin}: exits ${FAULT_EXIT_CODE} after logging it at fatal level`, async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'parley-fault-'));
      const env: NodeJS.ProcessEnv = { ...process.env, PARLEY_DATA_DIR: dataDir, DATABASE_URL: '', PARLEY_PORT: '0', PARLEY_BUS: 'local', LOG_LEVEL: 'info', PARLEY_WEB: 'false', PARLEY_TEST_FAULT: kind };
      try {
        const outcome = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
          execFile(process.execPath, ['--disable-warning=ExperimentalWarning', '--import', fixture, main, 'serve'], { env, timeout: 60_000, killSignal: 'SIGKILL' }, (e, stdout, stderr) =>
            resolve({ code: e ? ((e as { code?: number }).code ?? null) : 0, stdout, stderr }),
          );
        });
        assert.equal(outcome.code, FAULT_EXIT_CODE, `stderr: ${outcome.stderr}`);
        const fatal = outcome.stdout
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l) as Record<string, any>)
          .find((l) => l.level === 60);
        assert.ok(fatal, `no fatal line in: ${outcome.stdout}`);
        assert.equal(fatal.origin, origin);
        assert.equal(fatal.err.message, message);
        assert.equal(fatal.exitCode, FAULT_EXIT_CODE);
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  }
});

describe('parley serve whose node id is taken over', () => {
  test('ends with exit 70 and a fatal line saying ids may collide', async () => {
    const db = await createTestDatabase();
    const env: NodeJS.ProcessEnv = { ...process.env, PARLEY_DATA_DIR: db.dataDir, DATABASE_URL: db.url, PARLEY_PORT: '0', PARLEY_BUS: 'local', LOG_LEVEL: 'info', PARLEY_WEB: 'false', PARLEY_NODE_ID: '9' };
    const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', main, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    let stdout = '';
    const listening = new Promise<void>((resolve) =>
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes('parley listening')) resolve();
      }),
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const engine = openEngine({ databaseUrl: db.url, dataDir: db.dataDir, poolSize: 1 });
    try {
      await listening;
      // Another process took node id 9 (as one could once this server's lease lapsed).
      const taken = await engine.db.updateTable('node_leases').set({ holder: 'another process' }).where('node_id', '=', 9).executeTakeFirst();
      assert.equal(Number(taken.numUpdatedRows), 1);
      assert.equal(await exited, FAULT_EXIT_CODE);
      const fatal = stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, any>)
        .find((l) => l.level === 60);
      assert.ok(fatal, `no fatal line in: ${stdout}`);
      assert.equal(fatal.origin, 'nodeIdLeaseLost');
      assert.equal(fatal.err.message, 'node id 9 was taken over by another process while this server held it: ids may collide');
    } finally {
      clearTimeout(killer);
      child.kill('SIGKILL');
      await engine.close();
      await db.drop();
    }
  });
});
