// The Parley process of bench/stream/conversations.ts: a server whose user
// "me" is in BENCH_PRIVATE private chats and BENCH_GROUPS groups, each with
// BENCH_PER messages from someone else (a mention of me in every fifth; the
// first tenth read, the rest unread), seeded through core and the real write
// path (MessageRepo.append). The app also holds BENCH_OTHERS private chats
// between BENCH_OTHER_USERS other people, one message each, written before
// mine: a read that walks every conversation of the app instead of the
// user's own pays for them. Prints one JSON line {url, token, engine} when ready.
// DATABASE_URL selects PostgreSQL (use a fresh schema); default SQLite in a temp dir.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { startServer } from '../../src/server.ts';
import type { Appendable } from '../../src/core/messages/ports.ts';

const PRIVATE = Number(process.env.BENCH_PRIVATE ?? 700);
const GROUPS = Number(process.env.BENCH_GROUPS ?? 300);
const PER = Number(process.env.BENCH_PER ?? 5);
const OTHERS = Number(process.env.BENCH_OTHERS ?? 20_000);
const OTHER_USERS = Number(process.env.BENCH_OTHER_USERS ?? 1_000);

const dataDir = mkdtempSync(join(tmpdir(), 'parley-conversations-bench-'));
const config = loadConfig({ overrides: { host: '127.0.0.1', port: 0, logLevel: 'silent', dataDir, docs: false } });
const server = await startServer(config);
if (!server.bootstrap) throw new Error('bench needs an empty database');
const { core } = server;
const appId = server.bootstrap.appId;
const started = Date.now();
const me = await core.users.create(appId, { handle: 'me', displayName: 'Me' });
const token = (await core.tokens.issue({ appId, kind: 'user', userId: me.id })).token;

// Other people's chats: pairs (i, i + k) of a pool of users, k = 1, 2, … until OTHERS.
const pool: number[] = [];
for (let i = 0; i < OTHER_USERS && OTHERS > 0; i++) pool.push((await core.users.create(appId, { handle: `pool${i}` })).id);
const theirs: Appendable[] = [];
for (let n = 0; n < OTHERS; n++) {
  const i = n % pool.length;
  const j = (i + 1 + Math.floor(n / pool.length)) % pool.length;
  const c = await core.store.conversations.ensurePrivate(appId, Math.min(pool[i], pool[j]), Math.max(pool[i], pool[j]), core.ids.next(), core.clock.now());
  theirs.push({ id: core.ids.next(), appId, conversationId: c.id, senderId: pool[i], clientId: null, type: 'text', body: { text: `not for me ${n}` }, ext: null, createdAt: core.clock.now() });
}
for (let i = 0; i < theirs.length; i += 2000) await core.store.transaction((tx) => tx.messages.append(theirs.slice(i, i + 2000)));

const targets: { conversationId: number; from: number }[] = [];
for (let i = 0; i < PRIVATE + GROUPS; i++) {
  const other = await core.users.create(appId, { handle: `other${i}`, displayName: `Other ${i}`, avatar: `https://img.example/u${i}.png` });
  if (i < PRIVATE) {
    const [a, b] = me.id < other.id ? [me.id, other.id] : [other.id, me.id];
    const c = await core.store.conversations.ensurePrivate(appId, a, b, core.ids.next(), core.clock.now());
    targets.push({ conversationId: c.id, from: other.id });
  } else {
    const { group } = await core.groups.lifecycle.create({ appId, userId: other.id, appAdmin: false }, { name: `Group ${i}`, avatar: `https://img.example/g${i}.png`, memberIds: [me.id] });
    const c = await core.store.conversations.ensureGroup(appId, group.id, core.ids.next(), core.clock.now());
    targets.push({ conversationId: c.id, from: other.id });
  }
}
// Interleaved, so every conversation's last message is recent in a different order than created.
const items: Appendable[] = [];
for (let k = 0; k < PER; k++) {
  for (const [i, t] of targets.entries()) {
    const mention = (i + k) % 5 === 0 ? { mentions: [me.id] } : {};
    items.push({ id: core.ids.next(), appId, conversationId: t.conversationId, senderId: t.from, clientId: null, type: 'text', body: { text: `message ${k} in conversation ${i}, of a usual chat length`, ...mention }, ext: null, createdAt: core.clock.now() });
  }
}
for (let i = 0; i < items.length; i += 2000) await core.store.transaction((tx) => tx.messages.append(items.slice(i, i + 2000)));
// The first tenth is read up to its end.
for (const t of targets.slice(0, Math.ceil(targets.length / 10))) {
  const c = await core.store.conversations.get(t.conversationId);
  if (c) await core.store.readPositions.advance(c.id, me.id, c.lastSeq, core.clock.now());
}
process.stderr.write(`seeded ${targets.length} conversations, ${items.length} messages (and ${OTHERS} others' chats) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
process.stdout.write(JSON.stringify({ url: server.url, token, engine: config.databaseUrl ? 'postgres' : 'sqlite' }) + '\n');
process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
