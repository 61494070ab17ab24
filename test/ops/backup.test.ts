// `parley backup` while the server runs and writes, then `parley restore`
// into an empty place and a server started on it: every message acknowledged
// before the backup began is there, the files are there, and the server
// starts cleanly. On SQLite (VACUUM INTO + the blob directory) and on
// PostgreSQL (pg_dump / pg_restore into a new database).

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createTestDatabase, testPostgresUrl, type TestDatabase } from '../support/database.ts';
import { makeUser } from '../support/fixtures.ts';
import { client } from '../support/http.ts';
import { startTestServer } from '../support/server.ts';

const main = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

function parley(args: string[], db: TestDatabase): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, PARLEY_DATA_DIR: db.dataDir, DATABASE_URL: db.url, PARLEY_BUS: 'local', LOG_LEVEL: 'silent' };
  return new Promise((resolve) => {
    execFile(process.execPath, ['--disable-warning=ExperimentalWarning', main, ...args], { env, timeout: 60_000 }, (e, stdout, stderr) =>
      resolve({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** An empty place to restore into: a new data directory, or a new PostgreSQL database with the same schema name. */
async function emptyTarget(source: TestDatabase): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-restore-'));
  if (source.engine === 'sqlite') return { url: '', dataDir, engine: 'sqlite', drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  const name = `parley_restore_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testPostgresUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(source.url);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    dataDir,
    engine: 'postgres',
    async drop() {
      rmSync(dataDir, { recursive: true, force: true });
      const c = new pg.Client({ connectionString: testPostgresUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

describe(`parley backup and restore (${testPostgresUrl ? 'PostgreSQL' : 'SQLite'})`, () => {
  const cleanups: (() => Promise<void>)[] = [];
  after(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
  });

  test('a backup taken under write load restores every message acknowledged before it began, and the files', async () => {
    const source = await createTestDatabase();
    cleanups.push(() => source.drop());
    const server = await startTestServer({ db: source });
    let serverStopped = false;
    cleanups.push(async () => {
      if (!serverStopped) await server.stop();
    });
    const alice = await makeUser(server, 'alice');
    const bob = await makeUser(server, 'bob');
    const as = client(server.url, alice.token);

    const file = await fetch(new URL('/v1/files?key=notes/plan.txt', server.url), { method: 'POST', body: 'the plan, in full', headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'text/plain' } });
    assert.equal(file.status, 201);
    const fileId = ((await file.json()) as { id: number }).id;

    // Writers keep sending while the backup runs; each send's acknowledgement time is kept.
    const acked: { id: number; at: number }[] = [];
    let writing = true;
    const writers = [0, 1].map(async (w) => {
      for (let i = 0; writing; i++) {
        const r = await as.post(`/v1/users/${bob.id}/messages`, { type: 'text', body: { text: `w${w} #${i}` }, clientId: `w${w}-${i}` });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        acked.push({ id: r.body.id as number, at: Date.now() });
      }
    });
    while (acked.length < 10) await new Promise((r) => setTimeout(r, 20));

    const dir = join(mkdtempSync(join(tmpdir(), 'parley-backup-')), 'b1');
    cleanups.push(async () => rmSync(join(dir, '..'), { recursive: true, force: true }));
    const began = Date.now();
    let backup: Awaited<ReturnType<typeof parley>>;
    try {
      backup = await parley(['backup', '--to', dir], source);
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      writing = false;
      await Promise.all(writers);
    }
    assert.equal(backup.code, 0, backup.stderr);
    const before = acked.filter((a) => a.at < began).map((a) => a.id);
    assert.ok(before.length >= 5, `only ${before.length} messages were acknowledged before the backup`);
    assert.ok(acked.length > before.length, 'the writers kept writing while the backup ran');
    const manifest = JSON.parse(backup.stdout) as { engine: string; blobs: { files: number } };
    assert.equal(manifest.engine, source.engine);
    assert.ok(manifest.blobs.files >= 1);

    // A backup never goes over another one.
    const again = await parley(['backup', '--to', dir], source);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /is not empty/);

    // Not under a running server.
    const target = await emptyTarget(source);
    cleanups.push(() => target.drop());
    const underServer = await parley(['restore', '--from', dir, '--force'], source);
    assert.equal(underServer.code, 1);
    assert.match(underServer.stderr, /a server is running on this database/);

    await server.stop();
    serverStopped = true;

    const restore = await parley(['restore', '--from', dir], target);
    assert.equal(restore.code, 0, restore.stderr);

    const restored = await startTestServer({ db: target });
    cleanups.push(() => restored.stop());
    const history = new Set<number>();
    let cursor: string | undefined;
    for (;;) {
      const page = await client(restored.url, alice.token).get(`/v1/users/${bob.id}/messages`, { query: { limit: '200', ...(cursor ? { cursor } : {}) } });
      assert.equal(page.status, 200, JSON.stringify(page.body));
      for (const m of page.body.items as { id: number }[]) history.add(m.id);
      if (!page.body.more) break;
      cursor = page.body.next as string;
    }
    const missing = before.filter((id) => !history.has(id));
    assert.deepEqual(missing, [], `${missing.length} of ${before.length} acknowledged messages are missing after restore`);
    const content = await fetch(new URL(`/v1/files/${fileId}/content`, restored.url), { headers: { authorization: `Bearer ${alice.token}` } });
    assert.equal(content.status, 200);
    assert.equal(await content.text(), 'the plan, in full');
    // The restored server writes on as usual.
    const next = await client(restored.url, alice.token).post(`/v1/users/${bob.id}/messages`, { type: 'text', body: { text: 'after the restore' } });
    assert.equal(next.status, 201);
  });

  test('restore refuses what is not a backup, and a place that already holds data', async () => {
    const db = await createTestDatabase();
    cleanups.push(() => db.drop());
    const notBackup = mkdtempSync(join(tmpdir(), 'parley-not-backup-'));
    cleanups.push(async () => rmSync(notBackup, { recursive: true, force: true }));
    const r = await parley(['restore', '--from', notBackup], db);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /holds no Parley backup/);

    const missingFlag = await parley(['restore'], db);
    assert.equal(missingFlag.code, 2);
    assert.match(missingFlag.stderr, /--from is required/);

    // A backup of this database, then a restore over it while it has data.
    const server = await startTestServer({ db });
    await makeUser(server, 'carol');
    const dir = join(notBackup, 'b');
    assert.equal((await parley(['backup', '--to', dir], db)).code, 0);
    await server.stop();
    const over = await parley(['restore', '--from', dir], db);
    assert.equal(over.code, 1);
    assert.match(over.stderr, db.engine === 'sqlite' ? /exists; --force replaces it/ : /already has \d+ tables/);

    const wrongEngine = join(notBackup, 'wrong');
    mkdirSync(wrongEngine);
    writeFileSync(join(wrongEngine, 'manifest.json'), JSON.stringify({ format: 1, engine: db.engine === 'sqlite' ? 'postgres' : 'sqlite', database: 'x', blobs: { store: 'local', files: 0, bytes: 0 } }));
    const mismatch = await parley(['restore', '--from', wrongEngine], db);
    assert.equal(mismatch.code, 1);
    assert.match(mismatch.stderr, /the backup is of/);
  });
});
