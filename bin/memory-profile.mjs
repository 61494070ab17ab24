// PARLEY_MEMORY: the Node (V8) flags a Parley process starts with. They must
// be given when the process starts (V8 sizes its heap then), so the launcher
// (bin/parley.mjs) reads the setting, not src/config.ts.
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

export function memoryFlags(env) {
  const name = (env.PARLEY_MEMORY ?? '').trim() || 'small';
  const flags = profiles[name];
  if (!Object.hasOwn(profiles, name)) throw new Error(`PARLEY_MEMORY must be one of ${Object.keys(profiles).join(', ')} (got "${env.PARLEY_MEMORY}")`);
  return flags;
}
