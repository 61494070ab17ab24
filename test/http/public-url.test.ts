// Absolute URLs come from PARLEY_PUBLIC_URL (or the listening address), never
// from a request's Host / X-Forwarded-* headers; and X-Forwarded-For is
// believed only from a peer named in PARLEY_TRUSTED_PROXIES.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { Writable } from 'node:stream';
import pino from 'pino';
import { startTestServer, type TestServer } from '../support/server.ts';
import { makeUser } from '../support/fixtures.ts';
import { DtalkUser } from './dtalk/support.ts';
import { loadConfig, ConfigError } from '../../src/config.ts';

const forged = { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' };

/** A request with headers fetch() will not send (Host). */
function send(base: string, method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<{ status: number; body: any; text: string }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), { method, headers: { ...headers, ...(payload ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        resolve({ status: res.statusCode ?? 0, text, body: text ? JSON.parse(text) : undefined });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** Every absolute URL Parley hands out, asked for with forged Host and X-Forwarded-* headers. */
async function handedOutUrls(s: TestServer): Promise<Record<string, string>> {
  const u = await makeUser(s);
  const bearer = { ...forged, authorization: `Bearer ${u.token}` };
  const file = await send(s.url, 'POST', '/v1/files?key=a.txt', bearer, 'x');
  assert.equal(file.status, 201, file.text);
  const signed = await send(s.url, 'POST', `/v1/files/${file.body.id}/url`, bearer, {});
  const cred = await send(s.url, 'POST', '/v1/uploads/credentials', bearer, { via: 'parley' });
  const lanyingHeaders = { ...forged, app_id: String(s.appId), 'access-token': u.token };
  const g = await send(s.url, 'POST', '/group/create', lanyingHeaders, { name: 'g' });
  const avatar = await send(s.url, 'GET', `/file/upload/avatar/group?group_id=${g.body.data.group_id}`, lanyingHeaders);
  const dtalk = new DtalkUser(s);
  const host = await send(s.url, 'POST', '/oss/get-host', { ...forged, 'FZM-SIGNATURE': dtalk.token() }, { appId: 'dtalk' });
  assert.equal(host.body.result, 0, host.text);
  return {
    'native signed download': signed.body.url,
    'native upload credential': cred.body.url,
    'lanying avatar upload_url': avatar.body.data.upload_url,
    'lanying avatar download_url': avatar.body.data.download_url,
    'dtalk oss host': host.body.data.host,
  };
}

describe('public URL', () => {
  test('unset: every URL names the listening address, whatever Host the request forged', async () => {
    const s = await startTestServer();
    try {
      const urls = await handedOutUrls(s);
      for (const [what, url] of Object.entries(urls)) {
        assert.ok(url.startsWith(s.url), `${what}: ${url}`);
        assert.doesNotMatch(url, /evil/, what);
      }
    } finally {
      await s.stop();
    }
  });

  test('PARLEY_PUBLIC_URL set: every URL is built on it (a path prefix kept)', async () => {
    const { publicUrl } = loadConfig({ env: { PARLEY_PUBLIC_URL: 'https://chat.example.com/parley/' } });
    const s = await startTestServer({ config: { publicUrl } });
    try {
      const urls = await handedOutUrls(s);
      assert.match(urls['native signed download'], /^https:\/\/chat\.example\.com\/parley\/v1\/files\/\d+\/content\?/);
      assert.equal(urls['native upload credential'], 'https://chat.example.com/parley/v1/uploads/direct');
      assert.equal(urls['lanying avatar upload_url'], 'https://chat.example.com/parley/v1/uploads/direct');
      assert.match(urls['lanying avatar download_url'], /^https:\/\/chat\.example\.com\/parley\/v1\/files\/\d+\/content$/);
      // dtalk's host is where its objects are read (host + uri = url: src/http/dtalk/README.md).
      assert.equal(urls['dtalk oss host'], 'https://chat.example.com/parley/oss/object');
    } finally {
      await s.stop();
    }
  });

  test('the settings refuse what is not a URL or an address', () => {
    assert.equal(loadConfig({ env: { PARLEY_PUBLIC_URL: 'https://chat.example.com/' } }).publicUrl, 'https://chat.example.com');
    assert.throws(() => loadConfig({ env: { PARLEY_PUBLIC_URL: 'chat.example.com' } }), ConfigError);
    assert.throws(() => loadConfig({ env: { PARLEY_PUBLIC_URL: 'ftp://chat.example.com' } }), ConfigError);
    assert.throws(() => loadConfig({ env: { PARLEY_PUBLIC_URL: 'https://chat.example.com/?a=1' } }), ConfigError);
    assert.equal(loadConfig({ env: { PARLEY_TRUSTED_PROXIES: '10.0.0.1, 192.168.0.0/16,::1,loopback' } }).trustedProxies, '10.0.0.1,192.168.0.0/16,::1,loopback');
    assert.throws(() => loadConfig({ env: { PARLEY_TRUSTED_PROXIES: 'proxy.example' } }), /PARLEY_TRUSTED_PROXIES.*proxy\.example/);
    assert.throws(() => loadConfig({ env: { PARLEY_TRUSTED_PROXIES: '10.0.0.0/33' } }), ConfigError);
  });
});

describe('trusted proxies', () => {
  /** A server whose log lines are kept, with a small per-address sign-in limit. */
  async function serverWith(trustedProxies: string) {
    const lines: Record<string, any>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, any>);
        done();
      },
    });
    // A standing clock: the limits count in windows of a minute, and a run that
    // straddled a minute's turn would start a new window mid-test.
    const s = await startTestServer({ manualClock: true, logger: pino({ level: 'info' }, sink), config: { trustedProxies, authRatePerIp: 3, authRatePerHandle: 1000 } });
    return { s, lines };
  }
  const login = (s: TestServer, n: number, xff: string) => send(s.url, 'POST', '/v1/auth/login', { 'x-forwarded-for': xff }, { handle: `nobody${n}`, password: 'wrong password' });
  const loggedAddress = (lines: Record<string, any>[], id: string) => lines.find((l) => l.reqId === id && l.req)?.req.remoteAddress;

  let untrusted: { s: TestServer; lines: Record<string, any>[] };
  let trusted: { s: TestServer; lines: Record<string, any>[] };
  before(async () => {
    untrusted = await serverWith('');
    // The test's requests come from 127.0.0.1: the proxy here.
    trusted = await serverWith('127.0.0.1');
  });
  after(async () => {
    await untrusted.s.stop();
    await trusted.s.stop();
  });

  test('from a peer nobody named, X-Forwarded-For is ignored: the log and the sign-in limit see the peer', async () => {
    const { s, lines } = untrusted;
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await login(s, i, `203.0.113.${i}`)).status);
    assert.deepEqual(statuses, [401, 401, 401, 429], 'forging a new address per attempt does not escape the limit');
    const r = await send(s.url, 'GET', '/healthz', { 'x-forwarded-for': '203.0.113.9', 'x-request-id': 'untrusted-1' });
    assert.equal(r.status, 200);
    assert.equal(loggedAddress(lines, 'untrusted-1'), '127.0.0.1');
  });

  test('from a named proxy, X-Forwarded-For names the client: the log and the sign-in limit see it', async () => {
    const { s, lines } = trusted;
    const distinct = [];
    for (let i = 0; i < 4; i++) distinct.push((await login(s, i, `203.0.113.${i}`)).status);
    assert.deepEqual(distinct, [401, 401, 401, 401], 'four clients behind the proxy, one attempt each');
    const same = [];
    for (let i = 0; i < 4; i++) same.push((await login(s, 10 + i, '198.51.100.7')).status);
    assert.deepEqual(same, [401, 401, 401, 429], 'one client behind the proxy is limited');
    const r = await send(s.url, 'GET', '/healthz', { 'x-forwarded-for': '198.51.100.8', 'x-request-id': 'trusted-1' });
    assert.equal(r.status, 200);
    assert.equal(loggedAddress(lines, 'trusted-1'), '198.51.100.8');
  });
});
