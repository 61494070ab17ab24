// Delivery to a large group: one group of <members> (100,000), <online>
// (10,000) of them connected over WebSocket, one sender posting <rate>
// messages/s for <seconds>. Every connected member must get every message, in
// order; reports send→receive percentiles over all deliveries, lost and
// out-of-order counts, both processes' CPU, and every SQL statement the
// server ran while sending (per message, and any on a member's own rows:
// devices, membership, profile, read position, presence: the sender's own
// standing, read once per cache period, and nothing per member; more than
// one per message fails the run).
//
// The members are written straight into the store by the server process
// (server-process.ts `members`: users and group_members rows in batches of
// 500 over a second connection), not through the API; the sender is the
// group's owner, who made it through the API.
//
//   node --disable-warning=ExperimentalWarning bench/gateway/large-group.ts [members] [online] [rate] [seconds]
//   defaults: 100000 10000 1 30

import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { forkServer, percentile } from './harness.ts';
import { openRawSession, type RawSession } from './raw-client.ts';

/** Tables that hold a member's own rows; the group's messages must not touch them. */
const MEMBER_TABLES = ['devices', 'group_members', 'users', 'read_positions', 'user_presence'];
const [MEMBERS, ONLINE, RATE, SECONDS] = [100_000, 10_000, 1, 30].map((d, i) => Number(process.argv[2 + i] ?? d));
const server = await forkServer(process.env.BENCH_ENV ? JSON.parse(process.env.BENCH_ENV) : {});
const load0 = loadavg()[0];
try {
  const [owner] = await server.ask<{ id: number; token: string }[]>({ cmd: 'users', n: 1, prefix: 'owner' });
  const res = await fetch(`${server.url}/v1/groups`, {
    method: 'POST',
    headers: { authorization: `Bearer ${owner.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'large', memberIds: [] }),
  });
  const body = (await res.json()) as { group?: { id: number } };
  if (!res.ok || !body.group) throw new Error(`creating the group: ${res.status} ${JSON.stringify(body)}`);
  const groupId = body.group.id;
  let t = performance.now();
  const online = await server.ask<{ id: number; token: string }[]>({ cmd: 'members', groupId, n: MEMBERS, tokens: ONLINE });
  console.log(`${MEMBERS} members written and ${ONLINE} tokens issued in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  const latencies: number[] = [];
  let delivered = 0;
  let disorder = 0;
  let acked = 0;
  let refused = 0;
  const onFrame = (last: { seq?: number }) => (data: Buffer) => {
    const now = performance.now();
    if (data.indexOf('"type":"message"') < 0) return;
    const si = data.indexOf('"seq":') + 6;
    const seq = Number(data.toString('latin1', si, data.indexOf(',', si)));
    if (last.seq !== undefined && seq !== last.seq + 1) disorder++;
    last.seq = seq;
    const ti = data.indexOf('"text":"@');
    if (ti < 0) return;
    delivered++;
    latencies.push(now - Number(data.toString('latin1', ti + 9, data.indexOf('"', ti + 9))));
  };
  t = performance.now();
  const sockets: RawSession[] = [];
  // Alive as the protocol asks (a ping every 20 s; heartbeatMs 25 s), or the
  // server closes the sessions opened first while the rest connect.
  const heartbeat = setInterval(() => {
    for (const s of sockets) s.send('{"type":"ping"}');
  }, 20_000);
  const BATCH = 200;
  for (let i = 0; i < online.length; i += BATCH) sockets.push(...(await Promise.all(online.slice(i, i + BATCH).map((m) => openRawSession(server.url, m.token, onFrame({}))))));
  console.log(`${sockets.length} members online in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const sender = await openRawSession(server.url, owner.token, (data) => {
    if (data.indexOf('"type":"ack"') >= 0) acked++;
    else if (data.indexOf('"type":"error"') >= 0) {
      refused++;
      console.error(data.toString());
    }
  });

  const load1 = loadavg()[0];
  // Every SQL statement the server runs from here on, by kind and table: what a message costs the store.
  await server.ask({ cmd: 'count-statements' });
  const cpu0 = await server.ask<{ cpu: NodeJS.CpuUsage }>({ cmd: 'stats' });
  const gen0 = process.cpuUsage();
  let sent = 0;
  t = performance.now();
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const elapsed = performance.now() - t;
      if (elapsed >= SECONDS * 1000) {
        clearInterval(tick);
        return resolve();
      }
      for (const due = Math.floor((elapsed * RATE) / 1000); sent <= due; ) {
        sent++;
        sender.send(`{"type":"send","ref":"${sent}","message":{"groupId":${groupId},"type":"text","body":{"text":"@${performance.now()}"}}}`);
      }
    }, 1);
  });
  const expected = () => sent * sockets.length;
  const deadline = performance.now() + 15_000;
  while ((delivered < expected() || acked + refused < sent) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const total = (performance.now() - t) / 1000;
  const cpu1 = await server.ask<{ cpu: NodeJS.CpuUsage; gateway: unknown; statements: { total: number; reads: number; byTable: Record<string, number> } }>({ cmd: 'stats' });
  const st = cpu1.statements;
  /** Statements on a member's rows (their devices, membership, profile, read position, presence): per message, these would be per member. */
  const onMembers = Object.entries(st.byTable).filter(([key]) => MEMBER_TABLES.includes(key.split(' ')[1]));
  // The sender's own standing is read once per cache period (30 s); a read per member would be thousands per message.
  const memberStatements = onMembers.reduce((a, [, n]) => a + n, 0);
  const gen = process.cpuUsage(gen0);
  latencies.sort((a, b) => a - b);
  const lost = expected() - delivered;
  console.log(
    JSON.stringify(
      {
        members: MEMBERS,
        online: sockets.length,
        rate: RATE,
        seconds: SECONDS,
        loadAverage: { atStart: load0, atSend: load1, atEnd: loadavg()[0] },
        sent,
        acked,
        refused,
        delivered,
        expected: expected(),
        lost,
        outOfOrder: disorder,
        deliveriesPerSecond: Math.round(delivered / total),
        latencyMs: { p50: +percentile(latencies, 50).toFixed(1), p90: +percentile(latencies, 90).toFixed(1), p99: +percentile(latencies, 99).toFixed(1), max: +(latencies.at(-1) ?? NaN).toFixed(1) },
        serverCpuSeconds: +((cpu1.cpu.user + cpu1.cpu.system - cpu0.cpu.user - cpu0.cpu.system) / 1e6).toFixed(2),
        loadGeneratorCpuSeconds: +((gen.user + gen.system) / 1e6).toFixed(2),
        storeStatements: {
          total: st.total,
          reads: st.reads,
          perMessage: +(st.total / Math.max(1, sent)).toFixed(2),
          readsPerMessage: +(st.reads / Math.max(1, sent)).toFixed(2),
          onMemberTables: Object.fromEntries(onMembers),
          byTable: st.byTable,
        },
        gateway: cpu1.gateway,
      },
      null,
      1,
    ),
  );
  clearInterval(heartbeat);
  sender.close();
  for (const s of sockets) s.close();
  if (lost !== 0 || disorder !== 0 || refused !== 0 || memberStatements > sent) process.exitCode = 1;
  // Every member leaving at once (each close is a presence change with a few reads): polled until the server holds no session.
  t = performance.now();
  while ((await server.ask<{ gateway: { connections: number } }>({ cmd: 'stats' })).gateway.connections > 0) await new Promise((r) => setTimeout(r, 100));
  console.log(`${sockets.length} sessions closed at once: all gone on the server after ${((performance.now() - t) / 1000).toFixed(1)} s`);
} finally {
  await server.stop();
}
