// Upload throughput and server memory for one large file, single request and
// multipart, against a Parley server started as a child process on loopback.
// Usage (from the repository root):
//   node --disable-warning=ExperimentalWarning bench/storage/upload.ts [--store local|s3] [--mb 100] [--part-mb 5] [--concurrency 4]
// The server's resident memory (VmRSS of the child, sampled every 20 ms) is
// reported before, at the peak during, and after each upload: streaming
// means the peak stays flat however large the file.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startTestS3 } from '../../test/support/s3.ts';

const { values } = parseArgs({
  options: {
    store: { type: 'string', default: 'local' },
    mb: { type: 'string', default: '100' },
    'part-mb': { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '4' },
  },
});
const MB = 1024 * 1024;
const total = Number(values.mb) * MB;
const partSize = Number(values['part-mb']) * MB;
const concurrency = Number(values.concurrency);
const chunk = Buffer.alloc(MB, 0x5a);

const rssOf = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;

/** A body of `bytes` bytes made from one reused 1 MiB buffer (the client holds no copy). */
function body(bytes: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(c) {
      if (sent >= bytes) return c.close();
      const n = Math.min(MB, bytes - sent);
      sent += n;
      c.enqueue(n === MB ? chunk : chunk.subarray(0, n));
    },
  });
}

async function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; adminToken: string }> {
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', 'src/main.ts', 'serve'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const token = /(pa_[A-Za-z0-9_-]+)/.exec(out)?.[1];
      const url = /"url":"(http:\/\/[^"]+)"/.exec(out)?.[1];
      if (token && url) resolve({ child, url, adminToken: token });
    });
  });
}

async function json(url: string, init: RequestInit & { token: string }) {
  const res = await fetch(url, { ...init, headers: { authorization: `Bearer ${init.token}`, 'content-type': 'application/json', ...(init.headers as Record<string, string>) } });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

async function measure(pid: number, run: () => Promise<void>) {
  global.gc?.();
  const before = rssOf(pid);
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 20);
  const t0 = performance.now();
  await run();
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(timer);
  peak = Math.max(peak, rssOf(pid));
  return { seconds, mbPerSec: total / MB / seconds, rssBeforeMb: before / MB, rssPeakMb: peak / MB, rssAfterMb: rssOf(pid) / MB };
}

const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
const s3 = values.store === 's3' ? await startTestS3() : undefined;
const env: Record<string, string> = {
  PARLEY_PORT: '0',
  PARLEY_HOST: '127.0.0.1',
  PARLEY_DATA_DIR: dataDir,
  LOG_LEVEL: 'info',
  PARLEY_DOCS: 'false',
  PARLEY_MAX_OBJECT_SIZE: String(Math.max(total, MB)),
  ...(s3
    ? { PARLEY_BLOB_STORE: 's3', PARLEY_S3_BUCKET: s3.options.bucket, PARLEY_S3_ENDPOINT: s3.options.endpoint, PARLEY_S3_ACCESS_KEY_ID: 'S3RVER', PARLEY_S3_SECRET_ACCESS_KEY: 'S3RVER', PARLEY_S3_PATH_STYLE: 'true' }
    : {}),
};
const { child, url, adminToken } = await startServer(env);
try {
  const pid = child.pid!;
  const user = await json(`${url}/v1/users`, { method: 'POST', token: adminToken, body: JSON.stringify({ handle: 'bench' }) });
  const { token } = await json(`${url}/v1/tokens`, { method: 'POST', token: adminToken, body: JSON.stringify({ userId: user.id }) });

  const single = await measure(pid, async () => {
    const res = await fetch(`${url}/v1/files?key=bench/single.bin`, { method: 'POST', body: body(total), headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream', 'content-length': String(total) }, duplex: 'half' } as RequestInit);
    const f = await res.json();
    if (res.status !== 201 || f.size !== total) throw new Error(`single upload failed: ${res.status} ${JSON.stringify(f)}`);
  });

  const parts = Math.ceil(total / partSize);
  const multipart = await measure(pid, async () => {
    const up = await json(`${url}/v1/uploads`, { method: 'POST', token, body: JSON.stringify({ key: 'bench/multi.bin' }) });
    const etags: { partNumber: number; etag: string }[] = [];
    let next = 1;
    const worker = async () => {
      while (next <= parts) {
        const n = next++;
        const size = Math.min(partSize, total - (n - 1) * partSize);
        const res = await fetch(`${url}/v1/uploads/${up.id}/parts/${n}`, { method: 'PUT', body: body(size), headers: { authorization: `Bearer ${token}`, 'content-length': String(size) }, duplex: 'half' } as RequestInit);
        const p = await res.json();
        if (res.status !== 200) throw new Error(`part ${n}: ${res.status} ${JSON.stringify(p)}`);
        etags.push({ partNumber: n, etag: p.etag });
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const f = await json(`${url}/v1/uploads/${up.id}/complete`, { method: 'POST', token, body: JSON.stringify({ parts: etags }) });
    if (f.size !== total) throw new Error(`multipart size ${f.size}`);
  });

  const row = (name: string, r: typeof single) =>
    `| ${values.store} | ${name} | ${values.mb} MB | ${r.seconds.toFixed(2)} s | ${r.mbPerSec.toFixed(0)} MB/s | ${r.rssBeforeMb.toFixed(0)} MB | ${r.rssPeakMb.toFixed(0)} MB | ${r.rssAfterMb.toFixed(0)} MB |`;
  console.log('| store | upload | size | time | throughput | server RSS before | peak | after |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  console.log(row('single request', single));
  console.log(row(`multipart (${parts} × ${values['part-mb']} MB, ${concurrency} at a time)`, multipart));
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  await s3?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
