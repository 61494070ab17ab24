// Behind nginx with PARLEY_TRUSTED_PROXIES naming it: the sign-in limits and
// the logs see the real client address, a client cannot choose it with its
// own X-Forwarded-For (through nginx or straight to a process), and with
// Redis the counters are shared, so 3 processes allow what one allows.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call } from '../support/http.ts';
import { brokers, CLUSTER_TIMEOUT, skipUnlessCluster, startCluster, type TestCluster } from '../support/cluster.ts';
import { postFrom } from '../support/from-address.ts';

// Per client address, every attempt; the per-username limits are set high so that only this one is at play.
const PER_ADDRESS = 6;

/**
 * The limits count in fixed windows of a minute on the processes' real
 * clocks (src/core/rate-limit.ts): a sequence that straddled a minute's turn
 * would start a new window mid-test. Waits for the next minute when fewer
 * than 20 s of this one are left.
 */
async function roomInThisMinute(): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 20_000) await new Promise((r) => setTimeout(r, left + 50));
}

describe('client addresses and sign-in limits through nginx, 3 processes on Redis', { skip: skipUnlessCluster(), timeout: CLUSTER_TIMEOUT }, () => {
  let cluster: TestCluster;
  before(async () => {
    cluster = await startCluster({
      bus: brokers.redis,
      env: { PARLEY_AUTH_RATE_IP: String(PER_ADDRESS), PARLEY_AUTH_RATE_HANDLE: '1000', PARLEY_AUTH_RATE_USER: '1000', LOG_LEVEL: 'info' },
    });
  }, { timeout: CLUSTER_TIMEOUT });
  after(async () => {
    await cluster?.stop();
  }, { timeout: CLUSTER_TIMEOUT });

  const logIn = (from: string, url: string, headers: Record<string, string> = {}) => postFrom(from, `${url}/v1/auth/login`, { handle: 'nobody-here', password: 'wrong-password' }, headers);

  async function loginsServed(): Promise<number[]> {
    return Promise.all(
      cluster.nodes.map(async (n) => {
        const text = (await call(n.url, 'GET', '/metrics')).text;
        const m = /parley_http_request_duration_seconds_count\{[^}]*route="\/v1\/auth\/login"[^}]*\} (\d+)/g;
        let sum = 0;
        for (const x of text.matchAll(m)) sum += Number(x[1]);
        return sum;
      }),
    );
  }

  test('one client through nginx gets the per-address limit once for the whole cluster, though its attempts reached every process', { timeout: CLUSTER_TIMEOUT }, async () => {
    await roomInThisMinute();
    const answers: number[] = [];
    for (let i = 0; i < PER_ADDRESS + 2; i++) answers.push((await logIn('127.0.0.3', cluster.url)).status);
    assert.deepEqual(answers, [...Array<number>(PER_ADDRESS).fill(401), 429, 429]);
    const served = await loginsServed();
    assert.ok(served.every((n) => n > 0), `every process answered some of the attempts: ${served}`);
    // Its own X-Forwarded-For does not make it someone else: nginx states the address itself.
    assert.equal((await logIn('127.0.0.3', cluster.url, { 'x-forwarded-for': '10.9.8.7' })).status, 429);
    // Another client behind the same nginx has its own count.
    assert.equal((await logIn('127.0.0.4', cluster.url)).status, 401);
  });

  test('straight to a process, from an address that is not a trusted proxy, X-Forwarded-For is ignored', { timeout: CLUSTER_TIMEOUT }, async () => {
    await roomInThisMinute();
    const answers: number[] = [];
    for (let i = 0; i < PER_ADDRESS + 1; i++) answers.push((await logIn('127.0.0.5', cluster.nodes[i % 3]!.url, { 'x-forwarded-for': `10.0.0.${i + 1}` })).status);
    assert.deepEqual(answers, [...Array<number>(PER_ADDRESS).fill(401), 429]);
  });

  test('the logs of every process show the real client address, never nginx’s or a forged one', { timeout: CLUSTER_TIMEOUT }, () => {
    const lines = cluster.nodes.flatMap((n) => n.logs).filter((l) => l.req?.url === '/v1/auth/login');
    assert.ok(lines.length >= 2 * PER_ADDRESS, `request lines logged: ${lines.length}`);
    const seen = new Set(lines.map((l) => l.req.remoteAddress as string));
    assert.deepEqual([...seen].sort(), ['127.0.0.3', '127.0.0.4', '127.0.0.5']);
  });
});
