// The index's cost per message on the write path itself, without HTTP: the
// CPU time (process.cpuUsage, so a busy host's waiting is not counted) of
// storing BATCHES batches of 50 messages (the group commit's usual batch under
// load) with MessageRepo.append alone, and with append + tokenising + 
// SearchIndex.put in the same transaction, alternated ROUNDS times on one
// SQLite store (or PostgreSQL with DATABASE_URL). Texts from corpus.ts.
//
//   node --disable-warning=ExperimentalWarning bench/search/index-cost.ts

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { startServer } from '../../src/server.ts';
import type { Appendable } from '../../src/core/messages/ports.ts';
import { documentsOf } from '../../src/core/search/searchable.ts';
import { random, textOf } from './corpus.ts';

const ROUNDS = Number(process.env.ROUNDS ?? 6);
const BATCHES = Number(process.env.BATCHES ?? 200);
const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-search-cost-'));
const config = loadConfig({ env: {}, overrides: { host: '127.0.0.1', port: 0, logLevel: 'silent', dataDir, docs: false, ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {}) } });
const server = await startServer(config);
const { core } = server;
const app = (await core.apps.defaultApp())!;
const a = await core.users.create(app.id, { handle: `cost${Date.now()}` });
const members = [];
for (let i = 0; i < 5; i++) members.push((await core.users.create(app.id, { handle: `costm${Date.now()}_${i}` })).id);
const { group } = await core.groups.lifecycle.create({ appId: app.id, userId: a.id, appAdmin: false }, { name: 'cost', memberIds: members });
const conversation = await core.store.conversations.ensureGroup(app.id, group.id, core.ids.next(), core.clock.now());
const rnd = random(7);
let n = 0;

async function round(indexed: boolean): Promise<number> {
  const before = process.cpuUsage();
  for (let b = 0; b < BATCHES; b++) {
    const batch: Appendable[] = [];
    for (let k = 0; k < 50; k++, n++) batch.push({ id: core.ids.next(), appId: app.id, conversationId: conversation.id, senderId: a.id, clientId: null, type: 'text', body: { text: textOf(n, rnd) }, ext: null, createdAt: core.clock.now() });
    await core.store.transaction(async (tx) => {
      const outcomes = await tx.messages.append(batch);
      if (indexed) await tx.search.put(documentsOf(outcomes));
    });
  }
  const used = process.cpuUsage(before);
  return (used.user + used.system) / (BATCHES * 50); // µs of CPU per message
}

const on: number[] = [];
const off: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  off.push(await round(false));
  on.push(await round(true));
}
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
console.log(JSON.stringify({ engine: process.env.DATABASE_URL ? 'postgres' : 'sqlite', messagesPerRound: BATCHES * 50, cpuMicrosPerMessageOff: off.map((x) => +x.toFixed(1)), cpuMicrosPerMessageOn: on.map((x) => +x.toFixed(1)), medianOff: +median(off).toFixed(1), medianOn: +median(on).toFixed(1), extraMicrosPerMessage: +(median(on) - median(off)).toFixed(1) }, null, 2));
await server.close();
