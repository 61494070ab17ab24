// The configuration files the deployment docs show are the files in deploy/
// that the tests use, byte for byte; the systemd unit is hardened and valid;
// its environment file names only real settings.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { settings } from '../../src/config.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (p: string) => readFileSync(join(root, p), 'utf8');
const INSTALL_DIR = '/opt/parley';

/** Every `<!-- file: path -->` marker in docs/ and the fenced block right after it. */
function shownFiles(): { doc: string; path: string; shown: string }[] {
  const out: { doc: string; path: string; shown: string }[] = [];
  for (const doc of readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md'))) {
    const text = read(join('docs', doc));
    for (const m of text.matchAll(/<!-- file: (\S+) -->\n```[a-z]*\n([\s\S]*?)```\n/g)) out.push({ doc, path: m[1], shown: m[2] });
  }
  return out;
}

describe('deployment files', () => {
  test('each file the docs show is the repository file, unchanged', () => {
    const shown = shownFiles();
    for (const f of ['deploy/systemd/parley.service', 'deploy/systemd/parley.env', 'deploy/prometheus/parley-alerts.yml']) {
      assert.ok(shown.some((s) => s.path === f), `docs show ${f} nowhere`);
    }
    for (const s of shown) assert.equal(s.shown, read(s.path), `docs/${s.doc} shows ${s.path} differently from the file`);
  });

  test('the environment file names only settings Parley reads', () => {
    const known = new Set(Object.values(settings).map((s) => s.env));
    const keys = read('deploy/systemd/parley.env')
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('#'))
      .map((l) => l.split('=', 1)[0]);
    assert.ok(keys.length >= 3);
    for (const k of keys) assert.ok(known.has(k), `${k} is not a Parley setting`);
  });

  test('the unit runs this repository\'s entry point as its own user, hardened, restarted', () => {
    const unit = read('deploy/systemd/parley.service');
    const value = (key: string) => new RegExp(`^${key}=(.*)$`, 'm').exec(unit)?.[1];
    assert.equal(value('User'), 'parley');
    assert.equal(value('ProtectSystem'), 'strict');
    assert.equal(value('NoNewPrivileges'), 'yes');
    assert.equal(value('Restart'), 'always');
    assert.equal(value('CapabilityBoundingSet'), '');
    assert.equal(value('ReadWritePaths'), '/var/lib/parley');
    const exec = value('ExecStart')!.split(' ');
    for (const path of exec.filter((p) => p.startsWith(INSTALL_DIR))) assert.ok(existsSync(join(root, path.slice(INSTALL_DIR.length))), `${path} is not in the repository`);
    assert.equal(exec.at(-1), 'serve');
    // The data directory the unit may write is the one the environment file gives Parley.
    assert.match(read('deploy/systemd/parley.env'), /^PARLEY_DATA_DIR=\/var\/lib\/parley$/m);
  });

  test('systemd-analyze verify accepts the unit', { skip: spawnSync('systemd-analyze', ['--version']).status === 0 ? false : 'systemd-analyze is not installed' }, () => {
    // Installed at /opt/parley, the unit names this checkout's files; verify checks they exist.
    const dir = mkdtempSync(join(tmpdir(), 'parley-unit-'));
    try {
      const unit = read('deploy/systemd/parley.service').replaceAll(INSTALL_DIR, root.replace(/\/$/, '')).replace('/etc/parley/parley.env', join(root, 'deploy/systemd/parley.env'));
      writeFileSync(join(dir, 'parley.service'), unit);
      const r = spawnSync('systemd-analyze', ['verify', join(dir, 'parley.service')], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      // Unknown keys or misplaced ones are warnings, not failures: none is allowed.
      assert.equal(r.stderr.trim(), '');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
