// HTTP send benchmark: SENDERS users send text messages over keep-alive
// connections (autocannon, CONNECTIONS in flight) for DURATION seconds, into
// one group when the groups API is present (BENCH_TARGET=group, default) or
// into private chats (BENCH_TARGET=private). Afterwards it checks that every
// acknowledged send is stored: the conversation's lastSeq must equal the
// number of 201 answers (seqs are gapless, so nothing was lost or doubled).
//
//   node --disable-warning=ExperimentalWarning bench/http-send.ts

import autocannon from 'autocannon';
import { api, cpuSeconds, loadAverage, makeUsers, startBenchServer } from './support.ts';

const SENDERS = Number(process.env.SENDERS ?? 10);
const MEMBERS = Number(process.env.MEMBERS ?? 100);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 50);
const DURATION = Number(process.env.DURATION ?? 15);
// AMOUNT=<n> sends exactly n requests instead of running for DURATION (CI's correctness run: no clock involved).
const AMOUNT = process.env.AMOUNT ? Number(process.env.AMOUNT) : undefined;
const TARGET = process.env.BENCH_TARGET ?? 'group';

const s = await startBenchServer();
try {
  const users = await makeUsers(s, TARGET === 'group' ? MEMBERS : SENDERS + 1, 'u');
  const senders = users.slice(0, SENDERS);
  let paths: string[];
  let stored: () => Promise<number>;
  if (TARGET === 'group') {
    const owner = senders[0];
    const { group } = await api<{ group: { id: number } }>(s.url, owner.token, 'POST', '/v1/groups', { name: 'bench', memberIds: users.slice(1).map((u) => u.id) });
    paths = senders.map(() => `/v1/groups/${group.id}/messages`);
    stored = async () => (await api<{ lastSeq: number }>(s.url, owner.token, 'GET', `/v1/groups/${group.id}/messages?limit=1`)).lastSeq;
  } else {
    const peer = users[SENDERS];
    paths = senders.map(() => `/v1/users/${peer.id}/messages`);
    stored = async () => {
      let n = 0;
      for (const u of senders) n += (await api<{ lastSeq: number }>(s.url, peer.token, 'GET', `/v1/users/${u.id}/messages?limit=1`)).lastSeq;
      return n;
    };
  }

  const before = await stored();
  const cpuBefore = cpuSeconds(s.child.pid);
  const loadBefore = loadAverage();
  let next = 0;
  const body = JSON.stringify({ type: 'text', body: { text: process.env.BENCH_TEXT ?? 'a benchmark message of a usual chat length, say fifty to eighty chars' } });
  const result = await autocannon({
    url: s.url,
    connections: CONNECTIONS,
    ...(AMOUNT ? { amount: AMOUNT } : { duration: DURATION }),
    setupClient: (client) => {
      const i = next++ % senders.length;
      client.setRequests([{ method: 'POST', path: paths[i], headers: { 'content-type': 'application/json', authorization: `Bearer ${senders[i].token}` }, body }]);
    },
  });
  const ok = result['2xx'];
  const cpuUsed = (cpuSeconds(s.child.pid) ?? NaN) - (cpuBefore ?? NaN);
  const count = (await stored()) - before;
  const report = {
    target: TARGET,
    senders: SENDERS,
    connections: CONNECTIONS,
    durationS: +result.duration.toFixed(2),
    acknowledged: ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    messagesPerSecond: Math.round(ok / result.duration),
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    serverCpuSeconds: +cpuUsed.toFixed(2),
    // What one fully available core would sustain at this per-message cost.
    messagesPerServerCpuSecond: Math.round(ok / cpuUsed),
    loadAverageBefore: loadBefore,
    loadAverageAfter: loadAverage(),
    stored: count,
    // Sends still in flight when the run stops are stored but not counted as acknowledged.
    lost: Math.max(0, ok - count),
  };
  console.log(JSON.stringify(report, null, 2));
  if (count < ok) process.exitCode = 1;
} finally {
  await s.stop();
}
