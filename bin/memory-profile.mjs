// PARLEY_MEMORY (or --memory): the Node (V8) flags a Parley process starts
// with. They must be given when the process starts (V8 sizes its heap then),
// so the launcher (bin/parley.mjs) reads the setting; src/config.ts only
// declares it (README, `parley config`) and checks its value.
//
// - `small` (the default): the young generation's semi-spaces capped at
//   SMALL_SEMI_SPACE_MIB. V8 otherwise grows them to 32 MiB each once the
//   process has been busy and keeps them (up to ~50 MiB more resident when
//   idle); short-lived garbage is then collected more often, in shorter
//   pauses. Measured on the fan-out benchmarks without a loss (~3 % more
//   CPU on 200 × 10; bench/README.md, idle footprint).
//   And glibc's malloc kept to MALLOC_ARENA_MAX=2 arenas (unless the
//   environment sets it): by default each thread that allocates (libuv's
//   pool flushing SQLite's log, V8's helpers) may get an arena of its own,
//   and the pages an idle arena keeps are 5-7 MiB of an idle server's
//   resident memory. Ignored where the C library is not glibc.
//   And --expose-gc, for the server to hand back what a burst of work grew
//   once it goes quiet (src/heap-settling.ts: ~16 MiB of an idle server).
// - `large`: V8's own sizing and glibc's arenas, for a process that allocates faster than the
//   benchmarks do and has memory to spare.
//
// Flags in NODE_OPTIONS apply too, but these come after them on the command
// line and win: PARLEY_MEMORY=large leaves the sizing to NODE_OPTIONS.

export const SMALL_SEMI_SPACE_MIB = 8;

export const profiles = {
  small: { flags: [`--max-semi-space-size=${SMALL_SEMI_SPACE_MIB}`, '--expose-gc'], env: { MALLOC_ARENA_MAX: '2' } },
  large: { flags: [], env: {} },
};

/**
 * The profile named by `--memory <name>` among the arguments, or else by
 * PARLEY_MEMORY (a setting's flag wins over its variable): its Node flags,
 * and the environment the process must start with (what `env` sets wins).
 */
export function memoryProfile(env, argv = []) {
  let given = env.PARLEY_MEMORY ?? '';
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--memory') given = argv[i + 1] ?? '';
    else if (argv[i].startsWith('--memory=')) given = argv[i].slice('--memory='.length);
  }
  const name = given.trim() || 'small';
  if (!Object.hasOwn(profiles, name)) throw new Error(`PARLEY_MEMORY (--memory) must be one of ${Object.keys(profiles).join(', ')} (got "${given}")`);
  return { flags: profiles[name].flags, env: { ...profiles[name].env, ...env } };
}

/** The profile's Node flags alone. */
export const memoryFlags = (env, argv = []) => memoryProfile(env, argv).flags;
