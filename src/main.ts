// The `parley` CLI. `parley serve` (the default) runs the server until SIGTERM
// or SIGINT, then drains: stop accepting, finish in-flight requests, close the
// database. Exit codes: 0 done, 1 a command failed (the message says why),
// 2 bad usage or setting, 70 the server met an error nothing caught
// (src/process-faults.ts).

import { ConfigError, type Config } from './config.ts';
import { isParleyError } from './core/errors.ts';
import { NodeIdInUse } from './core/node-lease.ts';
import { parseCommand, usage, UsageError } from './cli/commands.ts';
import { createMetrics } from './http/ops.ts';
import { createLogger } from './logger.ts';
import { installFaultPolicy } from './process-faults.ts';
import { settleHeapWhenQuiet } from './heap-settling.ts';
import { ListenError, startServer } from './server.ts';

async function main(argv: string[]): Promise<number> {
  if (argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    process.stdout.write(usage() + '\n');
    return 0;
  }
  const parsed = parseCommand(argv);
  if (parsed.help) {
    process.stdout.write(`usage: ${parsed.command.usage}\n\n${parsed.command.summary}\n`);
    return 0;
  }
  if (parsed.name === 'serve') return serve(parsed.config);
  await parsed.command.run(parsed.values, parsed.positionals, parsed.config);
  return 0;
}

async function serve(config: Config): Promise<number> {
  const logger = createLogger(config);
  const metrics = createMetrics();
  const faults = installFaultPolicy({ logger, registry: metrics.registry });
  const server = await startServer(config, { logger, metrics, onFatal: (e) => faults.handle(e, 'nodeIdLeaseLost') });
  if (server.bootstrap) {
    // Shown once: the database keeps only a hash of it.
    process.stdout.write(
      `\nParley created the default app (id ${server.bootstrap.appId}).\n` +
        `Its admin token, shown only this once:\n\n  ${server.bootstrap.adminToken}\n\n`,
    );
  }
  server.app.log.info({ url: server.url }, 'parley listening');
  // Here and not in startServer: a process-wide collection is the process's business, not an embedded server's (tests start several).
  const stopSettling = settleHeapWhenQuiet((report) => server.app.log.debug(report, 'heap settled after a burst of work'));
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      stopSettling?.();
      server.app.log.info({ signal }, 'shutting down');
      server.close().then(resolve, (e: unknown) => {
        server.app.log.error({ err: e }, 'error during shutdown');
        resolve();
      });
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  return 0;
}

// Should the event loop run dry while a command is still pending (something it
// awaits can never settle), the process would end with 0 and no word: say so.
let settled = false;
process.on('exit', (code) => {
  if (settled || code !== 0) return;
  process.stderr.write('parley: the command stopped before it finished (nothing was left to wait for); this is a bug\n');
  process.exitCode = 1;
});

main(process.argv.slice(2)).then(
  (code) => {
    settled = true;
    process.exitCode = code;
  },
  (e: unknown) => {
    settled = true;
    if (e instanceof ListenError || e instanceof NodeIdInUse) {
      process.stderr.write(`parley: ${e.message}\n`);
      process.exitCode = 1;
    } else if (e instanceof UsageError || e instanceof ConfigError || (e as { code?: string }).code?.startsWith?.('ERR_PARSE_ARGS')) {
      process.stderr.write(`parley: ${(e as Error).message}\n${usage()}\n`);
      process.exitCode = 2;
    } else if (isParleyError(e)) {
      process.stderr.write(`parley: ${e.message} (${e.code})\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(`parley: ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 1;
    }
  },
);
