// Every failing command says why on stderr and exits non-zero, on SQLite as
// on PostgreSQL (the suite runs both ways). The SQLite one used to exit 0 in
// silence: closing the store waited on an unref'd worker, so the process ran
// out of work mid-close and the command's error was never printed.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../../bin/parley.mjs', import.meta.url));
const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI to its end, failed or not. */
async function parley(env: NodeJS.ProcessEnv, args: string[], cwd?: string): Promise<Outcome> {
  try {
    const r = await run(process.execPath, [bin, ...args], { env, ...(cwd ? { cwd } : {}) });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

/** This process's environment without any Parley setting, so a test names each one it means. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('PARLEY_') || k === 'DATABASE_URL' || k === 'LOG_LEVEL') delete env[k];
  return env;
}

describe('CLI errors are reported', () => {
  let db: TestDatabase;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    db = await createTestDatabase();
    env = { ...cleanEnv(), DATABASE_URL: db.url, PARLEY_DATA_DIR: db.dataDir, LOG_LEVEL: 'silent' };
    const app = await parley(env, ['app', 'create', '--name', 'first']);
    assert.equal(app.code, 0, app.stderr);
    const user = await parley(env, ['user', 'create', '--handle', 'taken']);
    assert.equal(user.code, 0, user.stderr);
  });
  after(() => db.drop());

  const cases: { name: string; args: string[]; stderr: RegExp }[] = [
    { name: 'a duplicate handle', args: ['user', 'create', '--handle', 'taken'], stderr: /^parley: handle "taken" is already taken \(handle_taken\)$/m },
    { name: 'an invalid handle', args: ['user', 'create', '--handle', 'two words'], stderr: /^parley: handle must be .* \(invalid_argument\)$/m },
    { name: 'an unknown --app', args: ['user', 'create', '--handle', 'x1', '--app', '123456'], stderr: /^parley: app 123456 does not exist \(app_not_found\)$/m },
    { name: 'an unknown --handle', args: ['token', 'issue', '--handle', 'nobody'], stderr: /^parley: user "nobody" does not exist \(user_not_found\)$/m },
    { name: 'an unknown --user', args: ['token', 'issue', '--user', '999999'], stderr: /^parley: user 999999 does not exist \(user_not_found\)$/m },
  ];
  for (const c of cases) {
    test(`${c.name}: a message on stderr, nothing on stdout, exit 1`, async () => {
      const r = await parley(env, c.args);
      assert.equal(r.code, 1, `exit code; stderr: ${r.stderr}`);
      assert.match(r.stderr, c.stderr);
      assert.equal(r.stdout, '');
    });
  }

  test('the user create refused for an unknown app left no user behind', async () => {
    const r = await parley(env, ['token', 'issue', '--handle', 'x1']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /user "x1" does not exist/);
  });
});

describe('the default data directory', () => {
  test('is data/ in the project root, wherever the command runs from', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'parley-cwd-'));
    try {
      const r = await parley(cleanEnv(), ['config'], elsewhere);
      assert.equal(r.code, 0, r.stderr);
      const printed = JSON.parse(r.stdout.slice(r.stdout.indexOf('\n{') + 1)) as { dataDir: string };
      assert.equal(printed.dataDir, join(projectRoot, 'data'));
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});

describe('parley config', () => {
  test('masks the S3 secret key, the TRTC secret and passwords inside URLs', async () => {
    const secrets = { s3: 's3-SECRET-value', trtc: 'trtc-SECRET-value', db: 'db-PASSWORD', bus: 'bus-PASSWORD' };
    const env = {
      ...cleanEnv(),
      PARLEY_S3_SECRET_ACCESS_KEY: secrets.s3,
      PARLEY_S3_ACCESS_KEY_ID: 'AKIDPUBLIC',
      PARLEY_TRTC_SECRET: secrets.trtc,
      DATABASE_URL: `postgres://parley:${secrets.db}@db.example:5432/parley`,
      PARLEY_BUS: `redis://:${secrets.bus}@cache.example:6379`,
    };
    const r = await parley(env, ['config']);
    assert.equal(r.code, 0, r.stderr);
    for (const s of Object.values(secrets)) assert.ok(!r.stdout.includes(s), `${s} was printed`);
    const printed = JSON.parse(r.stdout.slice(r.stdout.indexOf('\n{') + 1)) as Record<string, unknown>;
    assert.equal(printed.s3SecretAccessKey, '***');
    assert.equal(printed.trtcSecret, '***');
    assert.equal(printed.databaseUrl, 'postgres://***@db.example:5432/parley');
    assert.equal(printed.bus, 'redis://***@cache.example:6379');
    assert.equal(printed.s3AccessKeyId, 'AKIDPUBLIC', 'an access key id is not a secret');
  });
});

describe('parley serve on a busy port', () => {
  let db: TestDatabase;
  let holder: Server;
  let port: number;
  before(async () => {
    db = await createTestDatabase();
    holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    port = (holder.address() as { port: number }).port;
  });
  after(async () => {
    await new Promise<void>((resolve) => holder.close(() => resolve()));
    await db.drop();
  });

  test('names the port and the setting that changes it, exits 1, no stack trace', async () => {
    const env = { ...cleanEnv(), DATABASE_URL: db.url, PARLEY_DATA_DIR: db.dataDir, LOG_LEVEL: 'silent', PARLEY_PORT: String(port), PARLEY_HOST: '127.0.0.1' };
    const r = await parley(env, ['serve']);
    assert.equal(r.code, 1, r.stderr);
    // A first start on an empty database made the default app, whose admin token is never shown: the message says how to get one.
    assert.equal(
      r.stderr.trim(),
      `parley: port ${port} is already in use (127.0.0.1:${port}): stop the other process or set another with PARLEY_PORT (--port). The default app was created meanwhile: \`parley token issue --admin\` prints an admin token for it`,
    );
    const again = await parley(env, ['serve']);
    assert.equal(again.stderr.trim(), `parley: port ${port} is already in use (127.0.0.1:${port}): stop the other process or set another with PARLEY_PORT (--port)`);
    assert.equal(again.code, 1);
    const token = await parley(env, ['token', 'issue', '--admin']);
    assert.equal(token.code, 0, token.stderr);
    assert.match(JSON.parse(token.stdout).token, /^pa_/);
  });
});
