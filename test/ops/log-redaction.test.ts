// Credentials never reach the log: a WebSocket's ?token=, an upload's
// ?credential=, a signed download's signature, and credential headers. The
// server runs with its real logger (src/logger.ts) at the default level,
// writing into a stream the test reads.

import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import pino from 'pino';
import { after, before, describe, test } from 'node:test';
import { createLogger } from '../../src/logger.ts';
import { REDACTED, redactUrls } from '../../src/log-redaction.ts';
import { call, client } from '../support/http.ts';
import { makeUser } from '../support/fixtures.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { connectWs } from '../support/ws.ts';

describe('secrets are redacted from the logs', () => {
  let s: TestServer;
  let text = '';
  // Resolves once a logged line contains `needle` (a positive signal, no fixed wait).
  const waiters: { needle: string; resolve: () => void }[] = [];
  const logged = (needle: string) =>
    new Promise<void>((resolve) => {
      if (text.includes(needle)) resolve();
      else waiters.push({ needle, resolve });
    });
  before(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        text += chunk.toString('utf8');
        for (const w of waiters.splice(0)) (text.includes(w.needle) ? w.resolve : () => waiters.push(w))();
        done();
      },
    });
    s = await startTestServer({ logger: createLogger({ logLevel: 'info' }, sink) });
  });
  after(() => s.stop());

  const linesFor = (path: string) =>
    text
      .split('\n')
      .filter((l) => l.includes(path))
      .map((l) => JSON.parse(l) as { req?: { url?: string }; msg: string });

  test('a WebSocket connected with ?token= logs its URL without the token', async () => {
    const u = await makeUser(s);
    const ws = await connectWs(s.url, u.token, { via: 'query' });
    await ws.next('welcome');
    await ws.close();
    await logged('/v1/ws?token=');
    assert.ok(!text.includes(u.token), 'the user token was logged');
    const urls = linesFor('/v1/ws?token=').map((l) => l.req?.url);
    assert.ok(urls.includes(`/v1/ws?token=${REDACTED}`), `logged: ${urls.join(', ')}`);
  });

  test('an upload with ?credential= and a signed download log neither secret', async () => {
    const u = await makeUser(s);
    const c = client(s.url, u.token);
    const cred = await c.post('/v1/uploads/credentials', { key: 'logs/a.txt', contentType: 'text/plain', via: 'parley' });
    assert.equal(cred.status, 201, cred.text);
    const token = cred.body.token as string;
    const stored = await call(s.url, 'PUT', '/v1/uploads/direct', { query: { credential: token }, raw: 'bytes' });
    assert.equal(stored.status, 201, stored.text);
    const signed = await c.post(`/v1/files/${stored.body.id}/url`, { ttlSeconds: 60 });
    assert.equal(signed.status, 200, signed.text);
    const url = new URL(signed.body.url as string);
    const signature = url.searchParams.get('signature')!;
    assert.ok(signature.length > 10);
    const download = await fetch(url);
    assert.equal(await download.text(), 'bytes');
    await logged(`/content?expires=`);

    assert.ok(!text.includes(token), 'the upload credential was logged');
    assert.ok(!text.includes(token.slice(token.lastIndexOf('.') + 1)), "the credential's signature was logged");
    assert.ok(!text.includes(signature), 'the download signature was logged');
    const uploadUrls = linesFor('/v1/uploads/direct?').map((l) => l.req?.url);
    assert.ok(uploadUrls.includes(`/v1/uploads/direct?credential=${REDACTED}`), `logged: ${uploadUrls.join(', ')}`);
    const downloadUrls = linesFor('/content?expires=').map((l) => l.req?.url);
    assert.ok(downloadUrls.some((d) => d?.endsWith(`&signature=${REDACTED}`) || d?.includes(`signature=${REDACTED}&`)), `logged: ${downloadUrls.join(', ')}`);
  });

  test('credential headers and query parameters of every dialect stay out, including in message texts', async () => {
    const secret = 'sEcReT0123456789';
    const headers = { authorization: `Bearer ${secret}`, 'access-token': secret, accessToken: secret, 'fzm-signature': secret, cookie: `sid=${secret}` };
    await call(s.url, 'GET', '/no-such-route', { headers, query: { token: secret, 'access-token': secret, accessToken: secret, sig: secret, qr_info: secret, other: 'kept' } });
    await logged('/no-such-route');
    assert.ok(!text.includes(secret), 'a secret was logged');
    assert.match(text, /\/no-such-route\?token=\[Redacted\]&access-token=\[Redacted\]&accessToken=\[Redacted\]&sig=\[Redacted\]&qr_info=\[Redacted\]&other=kept/);

    // Code that logs a headers object gets them masked too.
    s.app.log.info({ req: { headers }, headers }, 'headers');
    await logged('"msg":"headers"');
    assert.ok(!text.includes(secret), 'a logged header carried the secret');
  });
});

describe('a logger made elsewhere', () => {
  test('the HTTP layer still redacts request URLs with it', async () => {
    let text = '';
    let seen: () => void = () => {};
    const logged = new Promise<void>((r) => (seen = r));
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        text += chunk.toString('utf8');
        if (text.includes('/v1/me?token=')) seen();
        done();
      },
    });
    const s = await startTestServer({ logger: pino({ level: 'info' }, sink) });
    try {
      const u = await makeUser(s);
      await call(s.url, 'GET', '/v1/me', { query: { token: u.token } });
      await logged;
      assert.ok(!text.includes(u.token), 'the token was logged');
      assert.ok(text.includes(`"url":"/v1/me?token=${REDACTED}"`));
    } finally {
      await s.stop();
    }
  });
});

describe('redactUrls', () => {
  test('any spelling of a credential parameter, and nothing else', () => {
    assert.equal(redactUrls('/a?TOKEN=x&%74oken=y&Access_Token=z#frag'), `/a?TOKEN=${REDACTED}&%74oken=${REDACTED}&Access_Token=${REDACTED}#frag`);
    assert.equal(redactUrls('GET http://h/f?X-Amz-Signature=abc&X-Amz-Date=1 failed'), `GET http://h/f?X-Amz-Signature=${REDACTED}&X-Amz-Date=1 failed`);
    assert.equal(redactUrls('/v1/files?key=token&limit=5'), '/v1/files?key=token&limit=5');
    assert.equal(redactUrls('/v1/ws?token='), `/v1/ws?token=${REDACTED}`);
    assert.equal(redactUrls('no query here'), 'no query here');
  });
});
