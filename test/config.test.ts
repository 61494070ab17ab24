import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ConfigError, loadConfig, settings, settingsTable } from '../src/config.ts';

test('defaults apply with an empty environment', () => {
  const c = loadConfig({ env: {} });
  assert.equal(c.port, 8080);
  assert.equal(c.host, '127.0.0.1');
  assert.equal(c.databaseUrl, '');
});

test('environment then flags override defaults', () => {
  const c = loadConfig({ env: { PARLEY_PORT: '9000', LOG_LEVEL: 'warn' }, argv: ['--port', '9100'] });
  assert.equal(c.port, 9100);
  assert.equal(c.logLevel, 'warn');
});

test('a bad value names the setting', () => {
  assert.throws(() => loadConfig({ env: { PARLEY_PORT: 'eighty' } }), (e: unknown) => e instanceof ConfigError && /PARLEY_PORT/.test(e.message));
  assert.throws(() => loadConfig({ env: { PARLEY_NODE_ID: '99' } }), /PARLEY_NODE_ID/);
  assert.throws(() => loadConfig({ env: { LOG_LEVEL: 'loud' } }), /LOG_LEVEL/);
});

test('the README lists every setting exactly as the code does', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  assert.ok(readme.includes(settingsTable()), 'README settings table is out of date: paste `npm run -s parley -- config` output');
  for (const s of Object.values(settings)) assert.ok(readme.includes(s.env));
});
