// Ids made by different processes never collide: the server makes ids with its
// configured node id, each admin command with a node id it leases from the
// command range, and a second server given a node id that a live server holds
// refuses to start (src/core/node-lease.ts).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { COMMAND_NODE_IDS, idNode } from '../../src/core/ids.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { client } from '../support/http.ts';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../../bin/parley.mjs', import.meta.url));

function cleanEnv(db: TestDatabase): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('PARLEY_') || k === 'DATABASE_URL' || k === 'LOG_LEVEL') delete env[k];
  return { ...env, DATABASE_URL: db.url, PARLEY_DATA_DIR: db.dataDir, LOG_LEVEL: 'silent' };
}

describe('ids from several processes', () => {
  let db: TestDatabase;
  let s: TestServer;
  before(async () => {
    db = await createTestDatabase();
    s = await startTestServer({ db, config: { nodeId: 2 } });
  });
  after(async () => {
    await s.stop();
    await db.drop();
  });

  test('a server and admin commands creating users at the same time: no id twice, each process its own node id', async () => {
    const admin = client(s.url, s.adminToken);
    const cli = Array.from({ length: 3 }, (_, i) => run(process.execPath, [bin, 'user', 'create', '--handle', `cli-${i}`], { env: cleanEnv(db) }).then((r) => JSON.parse(r.stdout) as { id: number }));
    let running = true;
    const allDone = Promise.all(cli).finally(() => (running = false));
    const serverIds: number[] = [];
    // The server keeps creating users for as long as the commands run.
    while (running) {
      const r = await admin.post('/v1/users', { handle: `srv-${serverIds.length}` });
      assert.equal(r.status, 201, r.text);
      serverIds.push(r.body.id as number);
    }
    const cliIds = (await allDone).map((u) => u.id);
    assert.ok(serverIds.length > 0);
    const all = [...serverIds, ...cliIds];
    assert.equal(new Set(all).size, all.length, 'an id was made twice');
    assert.deepEqual([...new Set(serverIds.map(idNode))], [2]);
    for (const id of cliIds) {
      const node = idNode(id);
      assert.ok(node >= COMMAND_NODE_IDS.first && node <= COMMAND_NODE_IDS.last, `a command made an id with node ${node}`);
    }
    // Each created user is there under its own id.
    for (const [i, id] of cliIds.entries()) assert.equal((await admin.get(`/v1/users/${id}`)).body.handle, `cli-${i}`);
  });

  test("a second server given a live server's node id refuses to start, naming the holder", async () => {
    const env = { ...cleanEnv(db), PARLEY_NODE_ID: '2', PARLEY_PORT: '0' };
    const r = await run(process.execPath, [bin, 'serve'], { env }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr.trim(), new RegExp(`^parley: node id 2 is in use by a server \\(pid ${process.pid} on .+\\), which keeps renewing its lease: give every server its own PARLEY_NODE_ID \\(0\\.\\.23\\)$`));
  });
});
