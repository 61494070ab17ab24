// PARLEY_MEMORY (or --memory): the Node (V8) flags a Parley process starts
// with. They must be given when the process starts (V8 sizes its heap then),
// so the launcher (bin/parley.mjs) reads the setting; src/config.ts only
// declares it (README, `parley config`) and checks its value.
//
// - `small` (the default): glibc's malloc kept to MALLOC_ARENA_MAX=2 arenas
//   (unless the environment sets it): by default each thread that allocates
//   (libuv's pool flushing SQLite's log, V8's helpers) may get an arena of its
//   own, and the pages an idle arena keeps are 5-7 MiB of an idle server's
//   resident memory. Ignored where the C library is not glibc.
//   And --expose-gc, for the server to hand back what a burst of work grew
//   once it goes quiet (src/heap-settling.ts): the young generation V8 grew
//   under load (up to 2 × 32 MiB) and its pooled pages, ~16 MiB or more of an
//   idle server. The young generation itself is V8's to size: capping it
//   (8 MiB semi-spaces, as this profile did until settling gave the memory
//   back) made survivors of a busy second reach the old generation and its
//   ~10 ms mark-compact pauses, and doubled the 200 × 10 fan-out's p99
//   (bench/gateway/README.md); with settling it saves nothing idle.
// - `large`: V8's own sizing and glibc's arenas, for a process that allocates faster than the
//   benchmarks do and has memory to spare.
//
// Flags in NODE_OPTIONS apply too, but these come after them on the command
// line and win: PARLEY_MEMORY=large leaves the sizing to NODE_OPTIONS.

export const profiles = {
  small: { flags: ['--expose-gc'], env: { MALLOC_ARENA_MAX: '2' } },
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
