// A real `parley serve` process (src/main.ts) for the cluster tests: the
// settings come from the environment as in production, the port is fixed
// before it starts (nginx must know it, and a restart reuses it), and it can
// be stopped the way operators and failures stop processes (SIGTERM, kill -9).

import { spawn, type ChildProcess } from 'node:child_process';
import { waitUntil } from './ports.ts';

const ROOT = new URL('../../', import.meta.url);
const MAIN = new URL('src/main.ts', ROOT).pathname;

export interface ParleyProcess {
  readonly nodeId: number;
  readonly port: number;
  readonly url: string;
  /** The running child's pid (changes on restart). */
  readonly pid: number | undefined;
  /** JSON log lines written since the process (re)started, parsed. */
  readonly logs: Record<string, any>[];
  /** Its stdout as text (the first start prints the default app's admin token). */
  readonly stdout: string;
  /** Starts it (again); resolves once /readyz answers 200. */
  start(): Promise<void>;
  /** Sends `signal` and resolves with the exit code once the process has gone. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function parleyProcess(opts: { nodeId: number; port: number; env: Record<string, string> }): ParleyProcess {
  let child: ChildProcess | undefined;
  let exited: Promise<number | null> = Promise.resolve(null);
  let stdout = '';
  let stderr = '';
  const logs: Record<string, any>[] = [];
  const url = `http://127.0.0.1:${opts.port}`;
  return {
    nodeId: opts.nodeId,
    port: opts.port,
    url,
    get pid() {
      return child?.exitCode === null ? child.pid : undefined;
    },
    logs,
    get stdout() {
      return stdout;
    },
    async start() {
      if (child && child.exitCode === null && child.signalCode === null) throw new Error(`node ${opts.nodeId} is already running`);
      logs.length = 0;
      stdout = '';
      stderr = '';
      const env = {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        PARLEY_HOST: '127.0.0.1',
        PARLEY_PORT: String(opts.port),
        PARLEY_NODE_ID: String(opts.nodeId),
        PARLEY_WEB: 'false',
        PARLEY_DOCS: 'false',
        LOG_LEVEL: 'warn',
        ...opts.env,
      };
      const c = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', MAIN, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      child = c;
      exited = new Promise((resolve) => c.once('exit', (code) => resolve(code)));
      let partial = '';
      c.stdout!.on('data', (d: Buffer) => {
        stdout += d.toString();
        partial += d.toString();
        const lines = partial.split('\n');
        partial = lines.pop()!;
        for (const line of lines) {
          if (!line.startsWith('{')) continue;
          try {
            logs.push(JSON.parse(line) as Record<string, any>);
          } catch {
            // a line that is not JSON (the admin token banner)
          }
        }
      });
      c.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      await waitUntil(
        async () => {
          if (c.exitCode !== null) throw new Error(`node ${opts.nodeId} exited with ${c.exitCode} while starting: ${stderr}${stdout}`);
          try {
            return (await fetch(`${url}/readyz`)).status === 200;
          } catch {
            return false;
          }
        },
        // Generous, only a guard against a hang: on a loaded machine (load
        // average above 20 on 2 cores) a Node process took over 90 s to load.
        240_000,
        `node ${opts.nodeId} to be ready`,
      );
    },
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return c?.exitCode ?? null;
      c.kill(signal);
      const guard = setTimeout(() => c.kill('SIGKILL'), 20_000);
      const code = await exited;
      clearTimeout(guard);
      return code;
    },
  };
}
