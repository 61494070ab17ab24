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
import { countStatements, type StatementCounter } from '../../test/support/statement-counter.ts';
import { openEngine } from '../../src/store/open.ts';
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

type Request =
  | { id: number; cmd: 'users'; n: number; prefix: string }
  | { id: number; cmd: 'members'; groupId: number; n: number; tokens: number }
  | { id: number; cmd: 'mem' }
  | { id: number; cmd: 'stop' }
  | { id: number; cmd: 'stats' }
  | { id: number; cmd: 'count-store' }
  | { id: number; cmd: 'count-statements' };

const config = loadConfig({ env: process.env, overrides: { port: 0, logLevel: 'warn', docs: false } });
// How long each flush of the SQLite log to disk took (PARLEY_SQLITE_SYNC=full), since the last `stats`.
let flushMs: number[] = [];
const server = await startServer(config, {
  sqliteWrapFlush: async (flush) => {
    const t = performance.now();
    try {
      await flush();
    } finally {
      flushMs.push(performance.now() - t);
    }
  },
});
const app = (await server.core.apps.defaultApp())!;

// BENCH_ALLOC_PROF=<file>: where the server allocates, sampled between the
// first and the second `stats` (the run), short-lived objects included; with
// BENCH_ALLOC_PROMOTED=1 only what outlived the young generation (what fills
// the old space and makes the long mark-compact pauses).
const sampling = { samplingInterval: 16384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: !process.env.BENCH_ALLOC_PROMOTED };
const allocations = process.env.BENCH_ALLOC_PROF ? new Session() : undefined;
let statsAsked = 0;
if (allocations) {
  allocations.connect();
  allocations.post('HeapProfiler.startSampling', sampling);
}
// Where a delivery's tail can come from inside the server, since the last
// `stats`: how late the event loop ran its callbacks, and V8's pauses.
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();
let gcMs: number[] = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcMs.push(e.duration);
}).observe({ entryTypes: ['gc'] });

const reply = (id: number, body: unknown) => process.send!({ id, body });
/** Store calls counted from `count-store` on (the presence benchmark's "store writes"). */
let spy: StoreSpy | undefined;
/** SQL statements counted from `count-statements` on, by kind and table (large-group.ts: none may be per member). */
let statements: StatementCounter | undefined;

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
      case 'members': {
        // large-group.ts: n users made members of a group by rows written
        // straight into the store over a second connection (the API makes
        // 100,000 members in minutes, not seconds); tokens for the first
        // `tokens` of them are issued through core.
        const engine = openEngine({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2, sqliteSync: 'normal' });
        const now = Date.now();
        let base = 0;
        const BATCH = 500;
        try {
          // Above every id made so far; the bench makes no users after this.
          const top = await engine.db.selectFrom('users').select((eb) => eb.fn.max('id').as('id')).executeTakeFirstOrThrow();
          base = Number(top.id) + 1;
          for (let i = 0; i < req.n; i += BATCH) {
            const ids = Array.from({ length: Math.min(BATCH, req.n - i) }, (_, k) => base + i + k);
            await engine.db.transaction().execute(async (tx) => {
              await tx.insertInto('users').values(ids.map((id) => ({ id, app_id: app.id, handle: `big${id}`, display_name: '', avatar: '', profile: '{}', password_hash: null, created_at: now, updated_at: now }))).execute();
              await tx
                .insertInto('group_members')
                .values(ids.map((id) => ({ group_id: req.groupId, user_id: id, role: 'member', display_name: '', joined_at: now, inviter_id: null, muted_until: null, message_mute_mode: 0, push_mode: 0, updated_at: now })))
                .execute();
            });
          }
          await engine.db
            .updateTable('groups')
            .set((eb) => ({ member_count: eb('member_count', '+', req.n), capacity: req.n + 10 }))
            .where('id', '=', req.groupId)
            .execute();
        } finally {
          await engine.close();
        }
        const out: { id: number; token: string }[] = [];
        for (let i = 0; i < req.tokens; i++) {
          const { token } = await server.core.tokens.issue({ appId: app.id, kind: 'user', userId: base + i });
          out.push({ id: base + i, token });
        }
        return reply(req.id, out);
      }
      case 'mem': {
        // V8's last-resort collection (repeated full ones) also shrinks the young generation and releases pooled pages
        // (src/heap-settling.ts): otherwise the young generation's size when asked lands in the RSS per session.
        (globalThis as { gc?: (o: object) => void }).gc?.({ type: 'major', execution: 'sync', flavor: 'last-resort' });
        await new Promise((r) => setTimeout(r, 50));
        return reply(req.id, { ...process.memoryUsage(), gateway: server.gateway.snapshot() });
      }
      case 'stats': {
        if (allocations && ++statsAsked === 1) allocations.post('HeapProfiler.stopSampling', () => allocations.post('HeapProfiler.startSampling', sampling));
        if (allocations && statsAsked === 2) allocations.post('HeapProfiler.stopSampling', (err, r) => { if (!err) writeFileSync(process.env.BENCH_ALLOC_PROF!, JSON.stringify(r.profile)); });
        const flushes = flushMs.sort((a, b) => a - b);
        flushMs = [];
        const at = (q: number) => +(flushes[Math.min(flushes.length - 1, Math.floor(q * flushes.length))] ?? 0).toFixed(2);
        const pauses = gcMs.sort((a, b) => a - b);
        gcMs = [];
        const ms = (ns: number) => +(ns / 1e6).toFixed(2);
        const loop = { p50Ms: ms(loopDelay.percentile(50)), p99Ms: ms(loopDelay.percentile(99)), maxMs: ms(loopDelay.max) };
        loopDelay.reset();
        return reply(req.id, {
          gateway: server.gateway.snapshot(),
          commits: { ...server.core.messages.commitStats },
          logFlushes: { count: flushes.length, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: +(flushes.at(-1) ?? 0).toFixed(2) },
          cpu: process.cpuUsage(),
          eventLoopDelay: loop,
          gcPauses: { count: pauses.length, totalMs: +pauses.reduce((a, b) => a + b, 0).toFixed(1), p99Ms: +(pauses[Math.floor(0.99 * pauses.length)] ?? 0).toFixed(2), maxMs: +(pauses.at(-1) ?? 0).toFixed(2) },
          presence: { ...server.presence.stats, lastSeen: server.presence.lastSeen.stats },
          ...(spy ? { store: { calls: spy.total(), writes: spy.writes(), byMethod: Object.fromEntries(spy.calls) } } : {}),
          ...(statements ? { statements: { total: statements.total(), reads: statements.reads(), byTable: Object.fromEntries(statements.byTable) } } : {}),
        });
      }
      case 'count-store':
        spy ??= spyOnStore(server.core.store);
        spy.reset();
        return reply(req.id, 'counting');
      case 'count-statements':
        statements ??= countStatements();
        statements.reset();
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
