// The Grafana dashboard and the Prometheus alert rules in deploy/ name only
// metrics a running `parley serve` exposes on /metrics, so neither shows an
// empty panel or an alert that can never fire after a rename.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('../../', import.meta.url));
const main = join(root, 'src/main.ts');

interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels: { severity: string };
  annotations: { summary: string };
}

const dashboard = JSON.parse(readFileSync(join(root, 'deploy/grafana/parley-dashboard.json'), 'utf8')) as { panels: { title: string; targets: { expr: string }[] }[] };
const alerts = parse(readFileSync(join(root, 'deploy/prometheus/parley-alerts.yml'), 'utf8')) as { groups: { name: string; rules: AlertRule[] }[] };

const SUFFIXES = ['_bucket', '_sum', '_count'];

/** The metric families /metrics declares (`# TYPE name kind`). */
function families(text: string): Map<string, string> {
  return new Map([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1], m[2]]));
}

/** The family a name in an expression reads: `x_bucket` of histogram `x` is `x`. */
function familyOf(name: string, known: Map<string, string>): string | undefined {
  if (known.has(name)) return name;
  for (const s of SUFFIXES) {
    const base = name.endsWith(s) ? name.slice(0, -s.length) : undefined;
    if (base && (known.get(base) === 'histogram' || known.get(base) === 'summary')) return base;
  }
  return undefined;
}

const metricNames = (expr: string) => [...new Set([...expr.matchAll(/\bparley_[a-z0-9_]+/g)].map((m) => m[0]))];

describe('dashboards and alert rules against a running parley serve', () => {
  let dataDir: string;
  let child: ReturnType<typeof spawn>;
  let base: string;
  let metrics: string;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'parley-dash-'));
    const env: NodeJS.ProcessEnv = { ...process.env, PARLEY_DATA_DIR: dataDir, DATABASE_URL: '', PARLEY_PORT: '0', PARLEY_HOST: '127.0.0.1', PARLEY_BUS: 'local', LOG_LEVEL: 'info', PARLEY_WEB: 'false' };
    child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', main, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    base = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no listening line: ${out}`)), 60_000);
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /"url":"(http:\/\/[^"]+)"/.exec(out);
        if (m && out.includes('parley listening')) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      child.on('exit', (code) => reject(new Error(`parley serve exited ${code}: ${out}`)));
    });
    // Traffic in three dialects and a refusal, so labelled families have samples.
    await fetch(new URL('/v1/users/me', base));
    await fetch(new URL('/xim/group/info', base), { method: 'POST' }).catch(() => {});
    await fetch(new URL('/group/info?group_id=1', base));
    await fetch(new URL('/healthz', base));
    metrics = await (await fetch(new URL('/metrics', base))).text();
  });
  after(() => {
    child?.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('every parley_* metric the dashboard names is exposed', () => {
    const known = families(metrics);
    const missing: string[] = [];
    let named = 0;
    for (const p of dashboard.panels) {
      assert.ok(p.targets.length > 0, `panel "${p.title}" has no query`);
      for (const t of p.targets)
        for (const name of metricNames(t.expr)) {
          named += 1;
          if (!familyOf(name, known)) missing.push(`${p.title}: ${name}`);
        }
    }
    assert.ok(named >= 20, `the dashboard names only ${named} metrics`);
    assert.deepEqual(missing, []);
  });

  test('every parley_* metric the alert rules name is exposed, and each rule is complete', () => {
    const known = families(metrics);
    const rules = alerts.groups.flatMap((g) => g.rules);
    assert.ok(rules.length >= 8);
    const missing: string[] = [];
    for (const r of rules) {
      assert.match(r.alert, /^Parley[A-Z]\w+$/);
      assert.ok(['critical', 'warning'].includes(r.labels.severity), `${r.alert}: severity ${r.labels.severity}`);
      assert.ok(r.annotations.summary.length > 10, `${r.alert} has no summary`);
      if (r.for !== undefined) assert.match(r.for, /^\d+[smh]$/);
      for (const name of metricNames(r.expr)) if (!familyOf(name, known)) missing.push(`${r.alert}: ${name}`);
    }
    assert.deepEqual(missing, []);
    assert.equal(new Set(rules.map((r) => r.alert)).size, rules.length, 'alert names are unique');
  });

  test('request metrics carry the dialect that answered', () => {
    assert.match(metrics, /parley_http_request_duration_seconds_count\{[^}]*dialect="native"[^}]*\} \d+/);
    assert.match(metrics, /parley_http_request_duration_seconds_count\{[^}]*dialect="lanying"[^}]*\} \d+/);
    assert.match(metrics, /parley_http_request_duration_seconds_count\{[^}]*route="\/healthz"[^}]*dialect="server"[^}]*\} \d+/);
    assert.match(metrics, /^parley_database_up 1$/m);
    assert.match(metrics, /^parley_ws_sessions 0$/m);
  });
});
