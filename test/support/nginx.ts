// nginx in front of test servers, run from the shipped configuration
// (deploy/nginx/parley.conf) with only its listen port and upstream addresses
// changed: a non-daemon child process with a temporary prefix, no root needed.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitUntil } from './ports.ts';

export const NGINX = process.env.PARLEY_TEST_NGINX ?? '/usr/sbin/nginx';
export const SHIPPED_CONFIG = new URL('../../deploy/nginx/parley.conf', import.meta.url);

/** Why nginx tests cannot run here, or false. */
export const skipUnlessNginx = (): string | false => (existsSync(NGINX) ? false : `nginx is not installed at ${NGINX} (PARLEY_TEST_NGINX names another)`);

/**
 * The shipped configuration with `listen <port>` and the upstream's server
 * addresses replaced (their parameters kept). Throws if the file no longer
 * has the shape this substitution relies on, so the tests never run a config
 * other than the shipped one.
 */
export function renderConfig(text: string, listenPort: number, upstreams: readonly number[]): string {
  const servers = [...text.matchAll(/^([ \t]*)server 127\.0\.0\.1:\d+( [^;]*)?;$/gm)];
  if (servers.length === 0) throw new Error('deploy/nginx/parley.conf: no `server 127.0.0.1:<port> ...;` line in its upstream');
  const params = servers[0]![2] ?? '';
  const indent = servers[0]![1]!;
  const list = upstreams.map((p) => `${indent}server 127.0.0.1:${p}${params};`).join('\n');
  let out = text.replace(servers.map((m) => m[0]).join('\n'), list);
  if (out === text && servers.length > 0) throw new Error('deploy/nginx/parley.conf: the upstream servers are not consecutive lines');
  const listens = out.match(/^[ \t]*listen 80;$/gm) ?? [];
  if (listens.length !== 1) throw new Error('deploy/nginx/parley.conf: expected exactly one `listen 80;` line');
  out = out.replace(/^([ \t]*)listen 80;$/m, `$1listen 127.0.0.1:${listenPort};`);
  return out;
}

/**
 * Debian's /etc/nginx/nginx.conf in small: the `http` block that includes
 * conf.d (here the rendered parley.conf in `prefix`), every path in the prefix.
 */
export function mainConfig(prefix: string): string {
  return [
    'worker_processes 1;',
    `error_log ${join(prefix, 'logs/error.log')} warn;`,
    'events { worker_connections 1024; }',
    'http {',
    `  access_log ${join(prefix, 'logs/access.log')};`,
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${join(prefix, t)};`),
    `  include ${join(prefix, 'parley.conf')};`,
    '}',
    '',
  ].join('\n');
}

export interface TestNginx {
  url: string;
  port: number;
  prefix: string;
  /** nginx's error log so far (diagnostics). */
  errors(): string;
  stop(): Promise<void>;
}

/** Starts nginx on `port` (a free one when not given) in front of the given upstream ports. */
export async function startNginx(upstreams: readonly number[], listenPort?: number): Promise<TestNginx> {
  const prefix = mkdtempSync(join(tmpdir(), 'parley-nginx-'));
  mkdirSync(join(prefix, 'logs'));
  const port = listenPort ?? (await freePort());
  writeFileSync(join(prefix, 'parley.conf'), renderConfig(readFileSync(SHIPPED_CONFIG, 'utf8'), port, upstreams));
  writeFileSync(join(prefix, 'nginx.conf'), mainConfig(prefix));
  const child: ChildProcess = spawn(NGINX, ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-g', `daemon off; pid ${join(prefix, 'nginx.pid')};`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const errorLog = () => (existsSync(join(prefix, 'logs/error.log')) ? readFileSync(join(prefix, 'logs/error.log'), 'utf8') : '');
  await waitUntil(async () => {
    if (child.exitCode !== null) throw new Error(`nginx exited (${child.exitCode}): ${stderr}${errorLog()}`);
    return existsSync(join(prefix, 'nginx.pid'));
  }, 10_000, 'nginx to start');
  return {
    url,
    port,
    prefix,
    errors: () => stderr + errorLog(),
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGQUIT');
        const t = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(t);
      }
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}
