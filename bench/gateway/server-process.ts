// The server side of the gateway benchmarks, as a child process the load
// generator forks (so the two do not share a heap or a CPU queue). It starts
// a real Parley with the environment's settings and answers the parent over
// IPC: make users with tokens (through core, which is fast), report memory
// after a full GC, stop.
//
// Run by the benchmarks; not on its own. Needs --expose-gc.

import { loadConfig } from '../../src/config.ts';
import { startServer } from '../../src/server.ts';
import { spyOnStore, type StoreSpy } from '../../test/support/store-spy.ts';

type Request = { id: number; cmd: 'users'; n: number; prefix: string } | { id: number; cmd: 'mem' } | { id: number; cmd: 'stop' } | { id: number; cmd: 'stats' } | { id: number; cmd: 'count-store' };

const config = loadConfig({ env: process.env, overrides: { port: 0, logLevel: 'warn', docs: false } });
const server = await startServer(config);
const app = (await server.core.apps.defaultApp())!;

const reply = (id: number, body: unknown) => process.send!({ id, body });
/** Store calls counted from `count-store` on (the presence benchmark's "store writes"). */
let spy: StoreSpy | undefined;

process.on('message', (req: Request) => {
  void (async () => {
    switch (req.cmd) {
      case 'users': {
        const out: { id: number; token: string }[] = [];
        for (let i = 0; i < req.n; i++) {
          const user = await server.core.users.create(app.id, { handle: `${req.prefix}${i}` });
          const { token } = await server.core.tokens.issue({ appId: app.id, kind: 'user', userId: user.id });
          out.push({ id: user.id, token });
        }
        return reply(req.id, out);
      }
      case 'mem': {
        for (let i = 0; i < 3; i++) {
          (globalThis as { gc?: () => void }).gc?.();
          await new Promise((r) => setTimeout(r, 50));
        }
        return reply(req.id, { ...process.memoryUsage(), gateway: server.gateway.snapshot() });
      }
      case 'stats':
        return reply(req.id, {
          gateway: server.gateway.snapshot(),
          cpu: process.cpuUsage(),
          presence: { ...server.presence.stats, lastSeen: server.presence.lastSeen.stats },
          ...(spy ? { store: { calls: spy.total(), writes: spy.writes(), byMethod: Object.fromEntries(spy.calls) } } : {}),
        });
      case 'count-store':
        spy ??= spyOnStore(server.core.store);
        spy.reset();
        return reply(req.id, 'counting');
      case 'stop':
        await server.close();
        reply(req.id, 'stopped');
        process.exit(0);
    }
  })().catch((e: unknown) => {
    process.stderr.write(`server-process: ${(e as Error).stack}\n`);
    process.exit(1);
  });
});

process.send!({ ready: true, url: server.url, appId: app.id });
