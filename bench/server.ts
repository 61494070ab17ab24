// A Parley server for benchmarks, in its own process so the load generator
// does not share its CPU time. Prints one JSON line {url, adminToken, appId,
// seeded} when ready. With BENCH_SEED=<n> it first stores n messages through
// the real write path (MessageRepo.append in transactions of 5,000), spread
// over BENCH_SEED_PAIRS private conversations; the first pair gets
// BENCH_SEED_FIRST of them (the conversation whose history is measured).

import { mkdtempSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.ts';
import { startServer } from '../src/server.ts';
import type { Appendable } from '../src/core/messages/ports.ts';

const dataDir = process.env.BENCH_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'parley-bench-'));
const config = loadConfig({ overrides: { host: '127.0.0.1', port: 0, logLevel: 'silent', dataDir, docs: false } });
const server = await startServer(config);
if (!server.bootstrap) throw new Error('bench needs an empty data directory');
const { appId, adminToken } = server.bootstrap;

// BENCH_SEARCH_INDEX=off: the search index is not written (bench/search/write-path.ts
// measures the send path with and without it); SearchIndex.put becomes a no-op.
if (process.env.BENCH_SEARCH_INDEX === 'off') {
  const store = server.core.store;
  const transaction = store.transaction.bind(store);
  store.transaction = ((fn: Parameters<typeof transaction>[0]) => transaction((tx) => fn({ ...tx, search: { ...tx.search, put: async () => {} } }))) as typeof store.transaction;
}

// BENCH_MODERATION_URL: the app's moderation hook (bench/webhooks/); BENCH_WEBHOOK_URL: an endpoint for its messages.
if (process.env.BENCH_MODERATION_URL) await server.core.store.webhooks.registry.putModeration({ appId, url: process.env.BENCH_MODERATION_URL, secret: 'whsec_bench_secret_0000', createdAt: Date.now() });
if (process.env.BENCH_WEBHOOK_URL) await server.core.webhooks.addEndpoint(appId, { url: process.env.BENCH_WEBHOOK_URL, categories: ['messages'] });

const seed = Number(process.env.BENCH_SEED ?? 0);
let seeded: { users: { id: number; token: string }[]; first?: number } | undefined;
if (seed > 0) {
  const { core } = server;
  const pairs = Number(process.env.BENCH_SEED_PAIRS ?? 100);
  const first = Number(process.env.BENCH_SEED_FIRST ?? Math.floor(seed / pairs));
  const users: { id: number; token: string }[] = [];
  for (let i = 0; i <= pairs; i++) {
    const u = await core.users.create(appId, { handle: `seed${i}` });
    users.push({ id: u.id, token: (await core.tokens.issue({ appId, kind: 'user', userId: u.id })).token });
  }
  // users[0] talks with every other; pair 1 gets `first` messages, the rest share the remainder.
  const conversations = [];
  for (let i = 1; i <= pairs; i++) conversations.push(await core.store.conversations.ensurePrivate(appId, Math.min(users[0].id, users[i].id), Math.max(users[0].id, users[i].id), core.ids.next(), core.clock.now()));
  let left = seed;
  let n = 0;
  const started = Date.now();
  while (left > 0) {
    const batch: Appendable[] = [];
    for (let k = 0; k < 5000 && left > 0; k++, left--, n++) {
      const c = n < first ? conversations[0] : conversations[1 + (n % (pairs - 1))];
      batch.push({ id: core.ids.next(), appId, conversationId: c.id, senderId: users[0].id, clientId: null, type: 'text' as const, body: { text: `seed message ${n} with some ordinary length of text in it` }, ext: null, createdAt: core.clock.now() });
    }
    await core.store.transaction((tx) => tx.messages.append(batch));
  }
  process.stderr.write(`seeded ${seed} messages in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  // The seed wrote its million rows faster than any real traffic: let the
  // log be copied into the database now, not by the background checkpoint
  // while the pages are measured.
  const settle = new DatabaseSync(join(dataDir, 'parley.db'));
  settle.exec('PRAGMA busy_timeout = 60000');
  settle.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  settle.close();
  seeded = { users: users.slice(0, 2), first };
}

process.stdout.write(JSON.stringify({ url: server.url, adminToken, appId, seeded, dataDir }) + '\n');
process.once('SIGTERM', () => {
  process.stderr.write(`group commit: ${JSON.stringify(server.core.messages.commitStats)}\n`);
  void server.close().then(() => process.exit(0));
});
