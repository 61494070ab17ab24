// The shipped nginx configuration (deploy/nginx/parley.conf) without a
// cluster: nginx accepts it as the tests render it, and its timeouts fit
// Parley's WebSocket defaults. Runs on every pass (needs nginx only).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { settings } from '../../src/config.ts';
import { NGINX, SHIPPED_CONFIG, mainConfig, renderConfig, skipUnlessNginx } from '../support/nginx.ts';

const shipped = readFileSync(SHIPPED_CONFIG, 'utf8');
const seconds = (directive: string) => Number(new RegExp(`^\\s*${directive} (\\d+)s;$`, 'm').exec(shipped)?.[1]);

test('nginx waits longer than a client’s heartbeat and Parley’s idle timeout before cutting a socket', () => {
  for (const d of ['proxy_read_timeout', 'proxy_send_timeout']) {
    assert.ok(seconds(d) * 1000 > settings.wsIdleTimeoutMs.default, `${d} ${seconds(d)}s is above PARLEY_WS_IDLE_TIMEOUT_MS`);
    assert.ok(seconds(d) * 1000 > settings.wsHeartbeatMs.default);
  }
});

test('the rendered configuration changes only the listen port and the upstream addresses, keeping their parameters', () => {
  const out = renderConfig(shipped, 18080, [19001, 19002]);
  assert.match(out, /^\s*listen 127\.0\.0\.1:18080;$/m);
  assert.deepEqual(out.match(/^\s*server 127\.0\.0\.1:\d+.*;$/gm)?.map((l) => l.trim()), ['server 127.0.0.1:19001 max_fails=1 fail_timeout=5s;', 'server 127.0.0.1:19002 max_fails=1 fail_timeout=5s;']);
  const rest = (s: string) => s.split('\n').filter((l) => !/^\s*(listen|server 127)/.test(l));
  assert.deepEqual(rest(out), rest(shipped));
});

test('nginx -t accepts the rendered configuration', { skip: skipUnlessNginx() }, () => {
  const prefix = mkdtempSync(join(tmpdir(), 'parley-nginx-t-'));
  try {
    writeFileSync(join(prefix, 'parley.conf'), renderConfig(shipped, 18080, [19001, 19002, 19003]));
    mkdirSync(join(prefix, 'logs'));
    writeFileSync(join(prefix, 'nginx.conf'), mainConfig(prefix));
    const r = spawnSync(NGINX, ['-t', '-p', prefix, '-c', join(prefix, 'nginx.conf'), '-g', `pid ${join(prefix, 'nginx.pid')};`], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /syntax is ok/);
  } finally {
    rmSync(prefix, { recursive: true, force: true });
  }
});
