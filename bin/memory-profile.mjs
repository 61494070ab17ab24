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
// - `large`: V8's own sizing, for a process that allocates faster than the
//   benchmarks do and has memory to spare.
//
// Flags in NODE_OPTIONS apply too, but these come after them on the command
// line and win: PARLEY_MEMORY=large leaves the sizing to NODE_OPTIONS.

export const SMALL_SEMI_SPACE_MIB = 8;

export const profiles = {
  small: [`--max-semi-space-size=${SMALL_SEMI_SPACE_MIB}`],
  large: [],
};

/** The profile's flags: `--memory <name>` among the arguments wins over PARLEY_MEMORY, as every setting's flag does. */
export function memoryFlags(env, argv = []) {
  let given = env.PARLEY_MEMORY ?? '';
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--memory') given = argv[i + 1] ?? '';
    else if (argv[i].startsWith('--memory=')) given = argv[i].slice('--memory='.length);
  }
  const name = given.trim() || 'small';
  if (!Object.hasOwn(profiles, name)) throw new Error(`PARLEY_MEMORY (--memory) must be one of ${Object.keys(profiles).join(', ')} (got "${given}")`);
  return profiles[name];
}
