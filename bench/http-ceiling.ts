// The ceiling for HTTP sends on this machine: the same autocannon load as
// bench/http-send.ts (CONNECTIONS keep-alive connections, DURATION seconds,
// the same body) against bench/http-ceiling-server.ts, a bare Fastify route
// that does no work. Reports requests/s and both sides' CPU.
//
//   CONNECTIONS=200 DURATION=15 node --disable-warning=ExperimentalWarning bench/http-ceiling.ts

import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { cpuSeconds, loadAverage } from './support.ts';

const CONNECTIONS = Number(process.env.CONNECTIONS ?? 200);
const DURATION = Number(process.env.DURATION ?? 15);

const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', new URL('./http-ceiling-server.ts', import.meta.url).pathname], { stdio: ['ignore', 'pipe', 'inherit'] });
try {
  const { url } = JSON.parse(await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`ceiling server exited with ${code}`)));
  })) as { url: string };
  const body = JSON.stringify({ type: 'text', body: { text: 'a benchmark message of a usual chat length, say fifty to eighty chars' } });
  const serverCpu0 = cpuSeconds(child.pid) ?? NaN;
  const own0 = process.cpuUsage();
  const loadBefore = loadAverage();
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: DURATION,
    requests: [{ method: 'POST', path: '/v1/groups/1/messages', headers: { 'content-type': 'application/json', authorization: 'Bearer not-checked' }, body }],
  });
  const own = process.cpuUsage(own0);
  console.log(
    JSON.stringify(
      {
        connections: CONNECTIONS,
        durationS: DURATION,
        answered: result['2xx'],
        requestsPerSecond: Math.round(result['2xx'] / DURATION),
        latencyMs: { p50: result.latency.p50, p99: result.latency.p99 },
        serverCpuSeconds: +((cpuSeconds(child.pid) ?? NaN) - serverCpu0).toFixed(2),
        loadGeneratorCpuSeconds: +((own.user + own.system) / 1e6).toFixed(2),
        loadAverageBefore: loadBefore,
        loadAverageAfter: loadAverage(),
      },
      null,
      2,
    ),
  );
} finally {
  child.kill('SIGTERM');
}
