// Typing at scale: U users online in groups of M, each sending a typing
// signal into their group every I seconds (spread evenly, not in lockstep),
// for D seconds. Every other member's socket should get each signal once.
// Reports server CPU per signal, deliveries per second, the signals the
// server coalesced, and the store calls made while it ran (target: 0 writes;
// reads too, once the members' rights are cached).
//
//   npx node --disable-warning=ExperimentalWarning bench/presence/typing.ts <users> <group size> <interval s> <seconds>
//   e.g. the brief's run:  typing.ts 10000 10 3 60

import { performance } from 'node:perf_hooks';
import { forkServer } from '../gateway/harness.ts';
import { openRawSession, type RawSession } from '../gateway/raw-client.ts';

const [U, M, I, D] = process.argv.slice(2, 6).map(Number);
if (![U, M, I, D].every((n) => Number.isFinite(n) && n > 0) || U % M !== 0 || M < 2) {
  console.error('usage: typing.ts <users> <group size (divides users, ≥ 2)> <interval s> <seconds>');
  process.exit(2);
}

// Setup writes cheaply (normal sync); the measured part writes nothing, or the count says so.
// The raw client sends no pings: the idle timeout must outlast connecting 10,000 sessions on a busy machine.
const server = await forkServer({ PARLEY_SQLITE_SYNC: 'normal', PARLEY_WS_IDLE_TIMEOUT_MS: '3600000', ...(process.env.BENCH_ENV ? (JSON.parse(process.env.BENCH_ENV) as Record<string, string>) : {}) });
try {
  const setup0 = performance.now();
  const users = await server.ask<{ id: number; token: string }[]>({ cmd: 'users', n: U, prefix: 'typist' });
  const groups: { id: number; members: { id: number; token: string }[] }[] = [];
  // Groups made over HTTP, a few at a time (setup, not measured).
  const makeGroup = async (g: number) => {
    const members = users.slice(g * M, (g + 1) * M);
    const res = await fetch(`${server.url}/v1/groups`, {
      method: 'POST',
      headers: { authorization: `Bearer ${members[0].token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `typing ${g}`, memberIds: members.slice(1).map((m) => m.id) }),
    });
    const body = (await res.json()) as { group?: { id: number } };
    if (!res.ok || !body.group) throw new Error(`creating group ${g}: ${res.status} ${JSON.stringify(body)}`);
    groups[g] = { id: body.group.id, members };
  };
  for (let g = 0; g < U / M; g += 8) await Promise.all(Array.from({ length: Math.min(8, U / M - g) }, (_, i) => makeGroup(g + i)));
  console.log(`setup: ${U} users and ${U / M} groups in ${((performance.now() - setup0) / 1000).toFixed(1)} s`);

  let typingFrames = 0;
  let errors = 0;
  let counting = false;
  const onFrame = (data: Buffer) => {
    if (!counting) return;
    if (data.indexOf('"type":"typing"') >= 0) typingFrames++;
    else if (data.indexOf('"type":"error"') >= 0 && ++errors < 5) console.error(data.toString());
  };
  const sockets: { group: number; ws: RawSession }[] = [];
  const all = groups.flatMap((g) => g.members.map((m) => ({ g, m })));
  for (let i = 0; i < all.length; i += 200) {
    const batch = await Promise.all(all.slice(i, i + 200).map(async ({ g, m }) => ({ group: g.id, ws: await openRawSession(server.url, m.token, onFrame) })));
    sockets.push(...batch);
  }
  const setupSeconds = (performance.now() - setup0) / 1000;
  console.log(`${U} users online in ${U / M} groups of ${M} (setup ${setupSeconds.toFixed(1)} s); each types every ${I} s for ${D} s`);

  // Warm-up: one signal per user (each session's first check of its group reads the rules once, then they are cached).
  counting = true;
  for (const s of sockets) s.ws.send(`{"type":"typing","groupId":${s.group},"active":false}`);
  for (const s of sockets) s.ws.send(`{"type":"typing","groupId":${s.group}}`);
  const warmExpected = U * (M - 1);
  const warmDeadline = performance.now() + 120_000;
  while (typingFrames < warmExpected && performance.now() < warmDeadline) await new Promise((r) => setTimeout(r, 20));
  const warmed = typingFrames;
  // Past the coalescing interval, so the measured signals all go out.
  await new Promise((r) => setTimeout(r, 2100));
  typingFrames = 0;

  await server.ask({ cmd: 'count-store' });
  const s0 = await server.ask<{ cpu: NodeJS.CpuUsage; presence: { typingSent: number; typingCoalesced: number } }>({ cmd: 'stats' });
  const gen0 = process.cpuUsage();
  const t0 = performance.now();
  let sent = 0;
  // User j's k-th signal is due at (k + j/U)·I s: U/I signals a second, spread over it.
  await new Promise<void>((resolve) => {
    const perMs = U / I / 1000;
    let next = 0;
    const tick = setInterval(() => {
      const elapsed = performance.now() - t0;
      if (elapsed >= D * 1000) {
        clearInterval(tick);
        resolve();
        return;
      }
      for (const due = Math.floor(elapsed * perMs); next <= due; next++) {
        const s = sockets[next % U];
        s.ws.send(`{"type":"typing","groupId":${s.group}}`);
        sent++;
      }
    }, 1);
  });
  const sendSeconds = (performance.now() - t0) / 1000;
  const s1 = await server.ask<{ cpu: NodeJS.CpuUsage; presence: { typingSent: number; typingCoalesced: number }; gateway: unknown; store: unknown }>({ cmd: 'stats' });
  const expected = () => (s1.presence.typingSent - s0.presence.typingSent) * (M - 1);
  const drainDeadline = performance.now() + 10_000;
  while (typingFrames < expected() && performance.now() < drainDeadline) await new Promise((r) => setTimeout(r, 20));
  const total = (performance.now() - t0) / 1000;
  const s2 = await server.ask<{ cpu: NodeJS.CpuUsage; store: { calls: number; writes: number } }>({ cmd: 'stats' });
  const cpu = (s2.cpu.user + s2.cpu.system - s0.cpu.user - s0.cpu.system) / 1e6;
  const gen = process.cpuUsage(gen0);
  const forwarded = s1.presence.typingSent - s0.presence.typingSent;
  console.log(
    JSON.stringify(
      {
        users: U,
        groupSize: M,
        intervalSeconds: I,
        warmUp: { delivered: warmed, expected: warmExpected },
        sent,
        signalsPerSecond: Math.round(sent / sendSeconds),
        forwarded,
        coalesced: s1.presence.typingCoalesced - s0.presence.typingCoalesced,
        delivered: typingFrames,
        expectedDeliveries: expected(),
        deliveriesPerSecond: Math.round(typingFrames / total),
        errors,
        serverCpuSeconds: +cpu.toFixed(2),
        serverCpuMicrosecondsPerSignal: +((cpu * 1e6) / sent).toFixed(1),
        loadGeneratorCpuSeconds: +((gen.user + gen.system) / 1e6).toFixed(2),
        store: s2.store,
        gateway: s1.gateway,
        loadAverage: (await import('node:os')).loadavg().map((l) => +l.toFixed(2)),
      },
      null,
      1,
    ),
  );
  for (const s of sockets) s.ws.close();
  const incomplete = warmed < warmExpected || forwarded + (s1.presence.typingCoalesced - s0.presence.typingCoalesced) < sent;
  if (errors !== 0 || (s2.store as { writes: number }).writes !== 0 || typingFrames < expected() || incomplete) process.exitCode = 1;
} finally {
  await server.stop();
}
