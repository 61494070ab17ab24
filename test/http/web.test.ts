import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { startTestServer, type TestServer } from '../support/server.ts';
import { call } from '../support/http.ts';
import { webDist } from '../../src/http/web.ts';

const html = { headers: { accept: 'text/html,application/xhtml+xml' } };

describe('the web client is served at /', () => {
  let s: TestServer;
  before(async () => {
    assert.ok(existsSync(`${webDist}index.html`), 'web/dist is missing: npm install (or npm run build:web) builds it');
    s = await startTestServer();
  });
  after(() => s.stop());

  test('the page and its assets', async () => {
    const page = await call(s.url, 'GET', '/', html);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.match(page.text, /<div id="app">/);
    assert.equal(page.headers.get('cache-control'), 'no-cache');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(page.text);
    assert.ok(script, 'the page loads a built script');
    const js = await call(s.url, 'GET', script[1]);
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type') ?? '', /javascript/);
    assert.match(js.headers.get('cache-control') ?? '', /immutable/);
  });

  test('the page, the client addresses and the assets carry a CSP, frame refusal, nosniff and no-referrer', async () => {
    const page = await call(s.url, 'GET', '/', html);
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(page.text);
    assert.ok(script);
    const style = /href="(\/assets\/[^"]+\.css)"/.exec(page.text);
    assert.ok(style);
    for (const [what, r] of [
      ['/', page],
      ['a client address', await call(s.url, 'GET', '/chats/1', html)],
      ['/index.html', await call(s.url, 'GET', '/index.html', html)],
      ['the script', await call(s.url, 'GET', script[1])],
      ['the style sheet', await call(s.url, 'GET', style[1])],
    ] as const) {
      assert.equal(r.status, 200, what);
      const csp = r.headers.get('content-security-policy') ?? '';
      const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values.join(' ')]));
      assert.equal(directives.get('default-src'), "'self'", what);
      assert.equal(directives.get('script-src'), "'self'", `${what}: no inline or foreign script`);
      assert.equal(directives.get('style-src'), "'self'", what);
      assert.equal(directives.get('connect-src'), "'self'", what);
      assert.equal(directives.get('img-src'), "'self' data: blob:", what);
      assert.equal(directives.get('object-src'), "'none'", what);
      assert.equal(directives.get('frame-ancestors'), "'none'", what);
      assert.equal(r.headers.get('x-frame-options'), 'DENY', what);
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff', what);
      assert.equal(r.headers.get('referrer-policy'), 'no-referrer', what);
    }
    // The built page itself needs nothing the policy refuses: no inline script or style.
    assert.doesNotMatch(page.text, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
    assert.doesNotMatch(page.text, /<style|\sstyle=/, 'no inline style');
  });

  test("a client address that no route serves gets the page, so a reload works", async () => {
    const r = await call(s.url, 'GET', '/chats/123?x=1', html);
    assert.equal(r.status, 200);
    assert.match(r.text, /<div id="app">/);
  });

  test('the API, ops and dialect prefixes are never shadowed', async () => {
    const api = await call(s.url, 'GET', '/v1/nope', html);
    assert.equal(api.status, 404);
    assert.equal(api.body.error.code, 'not_found');
    for (const path of ['/group/nope', '/med.xim.Group/nope', '/chat/x', '/app/x', '/user/x', '/file/x', '/metrics/x']) {
      // Each dialect answers in its own envelope (xim checks its credential
      // before routing, so its answer is an auth error): never the page.
      const r = await call(s.url, 'GET', path, html);
      assert.doesNotMatch(r.headers.get('content-type') ?? '', /text\/html/, path);
      assert.doesNotMatch(r.text, /<div id="app">/, path);
    }
    assert.equal((await call(s.url, 'GET', '/healthz')).status, 200);
    assert.equal((await call(s.url, 'GET', '/openapi.json')).status, 200);
    // Not a page request: a JSON 404, not the page.
    const json = await call(s.url, 'GET', '/somewhere', { headers: { accept: 'application/json' } });
    assert.equal(json.status, 404);
    assert.equal(json.body.error.code, 'not_found');
    assert.equal((await call(s.url, 'POST', '/somewhere', html)).status, 404);
  });
});
