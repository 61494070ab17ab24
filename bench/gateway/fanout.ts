// Group fan-out over WebSocket: G groups of M members, S of whom send R
// messages/s each over their own socket (`send` frames, acked after commit),
// for D seconds; every member has a socket and counts what it receives.
// Reports deliveries/s, send→receive latency percentiles (sender and receiver
// are in this process, so one clock), and checks nothing was lost,
// duplicated or reordered.
//
//   npx node --disable-warning=ExperimentalWarning bench/gateway/fanout.ts <groups> <members> <senders/group> <msgs/s per sender> <seconds>
//   e.g. one group of 100, 10 senders at 100/s:   fanout.ts 1 100 10 100 10
//        200 groups of 10, all sending 1/s:       fanout.ts 200 10 10 1 10

import { performance } from 'node:perf_hooks';
import { forkServer, percentile } from './harness.ts';
import { openRawSession, type RawSession } from './raw-client.ts';

const [G, M, S, R, D] = process.argv.slice(2, 7).map(Number);
if (![G, M, S, R, D].every((n) => Number.isInteger(n) && n > 0) || S > M) {
  console.error('usage: fanout.ts <groups> <members> <senders/group> <msgs/s per sender> <seconds>');
  process.exit(2);
}

const server = await forkServer(process.env.BENCH_ENV ? JSON.parse(process.env.BENCH_ENV) : {});
try {
  const users = await server.ask<{ id: number; token: string }[]>({ cmd: 'users', n: G * M, prefix: 'fan' });
  const groups: { id: number; members: { id: number; token: string }[] }[] = [];
  for (let g = 0; g < G; g++) {
    const members = users.slice(g * M, (g + 1) * M);
    const res = await fetch(`${server.url}/v1/groups`, {
      method: 'POST',
      headers: { authorization: `Bearer ${members[0].token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `bench ${g}`, memberIds: members.slice(1).map((m) => m.id) }),
    });
    const body = (await res.json()) as { group?: { id: number } };
    if (!res.ok || !body.group) throw new Error(`creating group ${g}: ${res.status} ${JSON.stringify(body)}`);
    groups.push({ id: body.group.id, members });
  }

  // Every member has a socket (bench/gateway/raw-client.ts: a lean client, so
  // the generator's CPU goes to measuring rather than to parsing frames). A
  // frame is read without a full parse: its type, the top level `seq` and the
  // send time carried in the text.
  const latencies: number[] = [];
  let delivered = 0;
  let disorder = 0;
  let sent = 0;
  let acked = 0;
  let refused = 0;
  const onFrame = (last: { seq?: number }) => (data: Buffer) => {
    const now = performance.now();
    if (data.indexOf('"type":"message"') < 0) {
      if (data.indexOf('"type":"ack"') >= 0) acked++;
      else if (data.indexOf('"type":"error"') >= 0) {
        refused++;
        if (refused < 5) console.error(data.toString());
      }
      return;
    }
    const si = data.indexOf('"seq":') + 6;
    const seq = Number(data.toString('latin1', si, data.indexOf(',', si)));
    // Every message of the conversation (the group's notices too) must follow the previous one.
    if (last.seq !== undefined && seq !== last.seq + 1) disorder++;
    last.seq = seq;
    const ti = data.indexOf('"text":"@');
    if (ti < 0) return; // a notice (member joined…), not one of ours
    const sentAt = Number(data.toString('latin1', ti + 9, data.indexOf('"', ti + 9)));
    delivered++;
    latencies.push(now - sentAt);
  };
  const sockets = new Map<number, RawSession>(); // by user id
  const BATCH = 200;
  const all = groups.flatMap((g) => g.members.map((m) => ({ g, m })));
  for (let i = 0; i < all.length; i += BATCH) {
    await Promise.all(
      all.slice(i, i + BATCH).map(async ({ m }) => {
        sockets.set(m.id, await openRawSession(server.url, m.token, onFrame({})));
      }),
    );
  }
  console.log(`${G} group(s) × ${M} members online; ${G * S} senders × ${R} msg/s for ${D} s`);

  // Senders: S members per group, R messages/s each.
  const senders = groups.flatMap((g) => g.members.slice(0, S).map((m) => ({ group: g.id, ws: sockets.get(m.id)! })));
  const t0 = performance.now();
  const cpu0 = await server.ask<{ cpu: NodeJS.CpuUsage; commits?: { batches: number; messages: number } }>({ cmd: 'stats' });
  const genCpu0 = process.cpuUsage();
  // Independent users do not send in lockstep: sender j's k-th message is due
  // at (k + j/N)/R s, so the N×R sends of a second are spread evenly over it
  // (slot s of the run belongs to sender s mod N). Checked every millisecond.
  await new Promise<void>((resolve) => {
    const slotsPerMs = (senders.length * R) / 1000;
    let nextSlot = 0;
    const tick = setInterval(() => {
      const elapsedMs = performance.now() - t0;
      if (elapsedMs >= D * 1000) {
        clearInterval(tick);
        resolve();
        return;
      }
      // Every slot due by now (catches up after a late tick).
      for (const due = Math.floor(elapsedMs * slotsPerMs); nextSlot <= due; nextSlot++) {
        const s = senders[nextSlot % senders.length];
        const n = ++sent;
        s.ws.send(`{"type":"send","ref":"${n}","message":{"groupId":${s.group},"type":"text","body":{"text":"@${performance.now()}"}}}`);
      }
    }, 1);
  });
  const sendSeconds = (performance.now() - t0) / 1000;
  // Drain: wait until every message reached every member (or 10 s pass).
  const expected = () => sent * M;
  const deadline = performance.now() + 10_000;
  while ((delivered < expected() || acked + refused < sent) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const total = (performance.now() - t0) / 1000;
  const cpu1 = await server.ask<{ cpu: NodeJS.CpuUsage; gateway: unknown; commits?: { batches: number; messages: number }; logFlushes?: unknown; eventLoopDelay?: unknown; gcPauses?: unknown }>({ cmd: 'stats' });
  latencies.sort((a, b) => a - b);
  const genCpu = process.cpuUsage(genCpu0);
  const cpu = (cpu1.cpu.user + cpu1.cpu.system - cpu0.cpu.user - cpu0.cpu.system) / 1e6;
  // Not delivered when the drain deadline passed: lost, or still queued (see acked vs sent).
  const lost = expected() - delivered;
  console.log(
    JSON.stringify(
      {
        sent,
        acked,
        refused,
        delivered,
        expected: expected(),
        lost,
        outOfOrder: disorder,
        sendSeconds: +sendSeconds.toFixed(2),
        messagesPerSecond: Math.round(sent / sendSeconds),
        deliveriesPerSecond: Math.round(delivered / total),
        latencyMs: { p50: +percentile(latencies, 50).toFixed(2), p90: +percentile(latencies, 90).toFixed(2), p99: +percentile(latencies, 99).toFixed(2), max: +latencies.at(-1)!.toFixed(2) },
        serverCpuSeconds: +cpu.toFixed(2),
        loadGeneratorCpuSeconds: +((genCpu.user + genCpu.system) / 1e6).toFixed(2),
        gateway: cpu1.gateway,
        // Parley only: message transactions during the run, and its flushes of the SQLite log to disk (none with PARLEY_SQLITE_SYNC=normal).
        ...(cpu1.commits && cpu0.commits ? { commits: { batches: cpu1.commits.batches - cpu0.commits.batches, messages: cpu1.commits.messages - cpu0.commits.messages } } : {}),
        ...(cpu1.logFlushes ? { logFlushes: cpu1.logFlushes } : {}),
        // Parley only, during the run: how late the server's event loop ran callbacks, and V8's GC pauses.
        ...(cpu1.eventLoopDelay ? { eventLoopDelay: cpu1.eventLoopDelay, gcPauses: cpu1.gcPauses } : {}),
      },
      null,
      1,
    ),
  );
  for (const ws of sockets.values()) ws.close();
  if (lost !== 0 || disorder !== 0 || refused !== 0) process.exitCode = 1;
} finally {
  await server.stop();
}
