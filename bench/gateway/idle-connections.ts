// Idle authenticated connections: how many one process holds and what each
// costs. Forks a Parley (SQLite, local bus), makes N users with tokens, opens
// one session per user (connect, token check, hello, ready: subscribed to the
// user's topic), then measures the server's memory after a full GC.
//
//   node --disable-warning=ExperimentalWarning bench/gateway/idle-connections.ts [N]

import { forkServer, kib, openSession } from './harness.ts';

const N = Number(process.argv[2] ?? 19_000);
const server = await forkServer();
try {
  const t0 = Date.now();
  const users: { token: string }[] = [];
  for (let made = 0; made < N; made += 1000) users.push(...(await server.ask<{ token: string }[]>({ cmd: 'users', n: Math.min(1000, N - made), prefix: `idle${made}_` })));
  console.log(`made ${N} users with tokens in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  // Warm the code paths with a few sessions, then take the baseline.
  const warm = await Promise.all(users.slice(0, 50).map((u) => openSession(server.url, u.token)));
  for (const ws of warm) ws.close();
  await new Promise((r) => setTimeout(r, 300));
  const before = await server.ask({ cmd: 'mem' });

  const t1 = Date.now();
  const sockets: import('ws').WebSocket[] = [];
  // Idle, but alive: each client pings every 20 s as the protocol asks (heartbeatMs 25 s).
  const heartbeat = setInterval(() => {
    for (const ws of sockets) ws.send('{"type":"ping"}');
  }, 20_000);
  const BATCH = 500;
  for (let i = 0; i < N; i += BATCH) sockets.push(...(await Promise.all(users.slice(i, i + BATCH).map((u) => openSession(server.url, u.token)))));
  const opened = (Date.now() - t1) / 1000;
  const after = await server.ask({ cmd: 'mem' });
  clearInterval(heartbeat);
  const open = after.gateway.connections as number;
  if (open !== N) console.log(`WARNING: ${N - open} sessions were closed before the measurement`);
  const per = (k: 'rss' | 'heapUsed' | 'external') => kib((after[k] - before[k]) / open);
  console.log(`opened ${sockets.length} sessions in ${opened.toFixed(1)} s (${Math.round(N / opened)}/s); gateway: ${JSON.stringify(after.gateway)}`);
  console.log(`server memory per connection: rss ${per('rss')} KiB, heap ${per('heapUsed')} KiB, external ${per('external')} KiB`);
  console.log(`server totals: rss ${kib(before.rss)} → ${kib(after.rss)} KiB, heap ${kib(before.heapUsed)} → ${kib(after.heapUsed)} KiB`);
  // One line for drivers (versus-relay.ts).
  console.log(JSON.stringify({ connections: open, rssPerConnectionKiB: per('rss'), heapPerConnectionKiB: per('heapUsed'), externalPerConnectionKiB: per('external'), rssBeforeKiB: kib(before.rss) }));
  for (const ws of sockets) ws.terminate();
} finally {
  await server.stop();
}
